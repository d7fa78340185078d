using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Application.Common.Serialization;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;
using FluentValidation;
using Mediator;

namespace Convor.Application.Webhooks.ListWebhookDeliveries;

/// <summary><c>GET /api/webhooks/{id}/deliveries</c>: newest first, optionally of one status.</summary>
public sealed record ListWebhookDeliveriesQuery(WebhookEndpointId EndpointId, WebhookDeliveryStatus? Status = null, int? Limit = null, string? Cursor = null)
    : IQuery<WebhookDeliveryPage>;

public static class WebhookDeliveryListCursor
{
    private const string List = "webhook-deliveries";

    private static string Filters(ListWebhookDeliveriesQuery query) => PageCursor.HashFilters(query.EndpointId.ToString(), query.Status?.ToString());

    public static string Encode(ListWebhookDeliveriesQuery query, WebhookDeliveryResponse last)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(last);
        return PageCursor.Encode(List, Filters(query), last.Id.ToString("D"));
    }

    public static WebhookDeliveryListPosition? TryDecode(ListWebhookDeliveriesQuery query, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = PageCursor.TryDecode(query.Cursor!, List, Filters(query), keyLength: 1, out error);
        if (key is null) return null;
        if (!PageCursor.TryParseGuid(key[0], out var id))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return new WebhookDeliveryListPosition(new WebhookDeliveryId(id));
    }
}

public sealed class ListWebhookDeliveriesQueryValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesQueryValidator()
    {
        RuleFor(q => q.Status).IsInEnum().WithMessage(WireEnums.MustBeOneOf<WebhookDeliveryStatus>());
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is not null && WebhookDeliveryListCursor.TryDecode(context.InstanceToValidate, out var error) is null)
                context.AddFailure(PageCursor.Field, error!);
        });
    }
}

public sealed class ListWebhookDeliveriesQueryHandler(ICurrentCaller caller, IWebhookQueries queries)
    : IQueryHandler<ListWebhookDeliveriesQuery, WebhookDeliveryPage>
{
    public async ValueTask<WebhookDeliveryPage> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(caller.OrganizationId, query.EndpointId, cancellationToken) is null)
            throw new WebhookEndpointNotFoundException();
        var after = query.Cursor is null ? null
            : WebhookDeliveryListCursor.TryDecode(query, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;
        WebhookDeliveryStatus[] statuses = query.Status is { } status ? [status] : [];
        var rows = await queries.ListDeliveriesAsync(caller.OrganizationId, query.EndpointId, statuses, after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        return new WebhookDeliveryPage
        {
            Data = page,
            NextCursor = rows.Count > limit ? WebhookDeliveryListCursor.Encode(query, page[^1]) : null,
        };
    }
}
