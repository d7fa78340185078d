using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Validation;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;
using FluentValidation;

namespace Convor.Application.Webhooks;

/// <summary>The input rules every endpoint command shares, and the endpoint's 404.</summary>
public static class WebhookRules
{
    // Callers start these chains with Cascade(CascadeMode.Stop): each rule assumes the one before held.

    public static IRuleBuilderOptions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule, IWebhookUrlPolicy policy) =>
        rule.MaximumLength(WebhookEndpoint.UrlMaxLength).WithMessage($"must be at most {WebhookEndpoint.UrlMaxLength} characters")
            .Must(url => ParseUrl(url, allowHttp: true) is not null).WithMessage("must be an absolute https URL without user name or password")
            .Must(url => ParseUrl(url, policy.AllowHttp) is not null).WithMessage("must use https");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> WebhookEvents<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(events => events!.Count > 0).WithMessage("must list at least one event type, or \"*\"")
            .Must(events => events!.All(e => e == WebhookEventTypes.Wildcard || WebhookEventTypes.IsKnown(e)))
            .WithMessage($"must contain only: *, {string.Join(", ", WebhookEventTypes.All)}");

    public static IRuleBuilderOptions<T, string?> WebhookDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(WebhookEndpoint.DescriptionMaxLength).WithMessage($"must be at most {WebhookEndpoint.DescriptionMaxLength} characters")
            .NoControlCharacters();

    /// <summary>The URL when it is absolute http(s) (https only unless <paramref name="allowHttp"/>), with a host and no user info.</summary>
    public static Uri? ParseUrl(string? text, bool allowHttp) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || (allowHttp && url.Scheme == Uri.UriSchemeHttp))
        && url.Host.Length > 0 && url.UserInfo.Length == 0 && string.IsNullOrEmpty(url.Fragment)
            ? url
            : null;

    public static Uri ValidatedUrl(string text) => ParseUrl(text, allowHttp: true) ?? throw new InvalidOperationException("The validator lets only valid URLs through.");

    public static async Task<WebhookEndpoint> FindEndpointAsync(
        this IWebhookEndpointRepository endpoints, OrganizationId organizationId, WebhookEndpointId id, CancellationToken cancellationToken) =>
        await endpoints.FindAsync(organizationId, id, cancellationToken) ?? throw new WebhookEndpointNotFoundException();
}

public sealed class WebhookEndpointNotFoundException()
    : NotFoundException("not_found", "Webhook endpoint was not found.");

public sealed class WebhookDeliveryNotFoundException()
    : NotFoundException("not_found", "Webhook delivery was not found.");
