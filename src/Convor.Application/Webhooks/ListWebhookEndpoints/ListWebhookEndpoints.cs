using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Domain.Common;
using FluentValidation;
using Mediator;

namespace Convor.Application.Webhooks.ListWebhookEndpoints;

/// <summary><c>GET /api/webhooks</c>: the organization's endpoints, oldest first, paged like every list.</summary>
public sealed record ListWebhookEndpointsQuery(int? Limit = null, string? Cursor = null) : IQuery<WebhookEndpointPage>;

public static class WebhookEndpointListCursor
{
    private const string List = "webhooks";
    private static readonly string NoFilters = PageCursor.HashFilters();

    public static string Encode(WebhookEndpointResponse last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return PageCursor.Encode(List, NoFilters, PageCursor.FormatTimestamp(last.CreatedAt), last.Id.ToString("D"));
    }

    public static WebhookEndpointListPosition? TryDecode(string cursor, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, List, NoFilters, keyLength: 2, out error);
        if (key is null) return null;
        if (!PageCursor.TryParseTimestamp(key[0], out var createdAt) || !PageCursor.TryParseGuid(key[1], out var id))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return new WebhookEndpointListPosition(createdAt, new WebhookEndpointId(id));
    }
}

public sealed class ListWebhookEndpointsQueryValidator : AbstractValidator<ListWebhookEndpointsQuery>
{
    public ListWebhookEndpointsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is not null && WebhookEndpointListCursor.TryDecode(cursor, out var error) is null)
                context.AddFailure(PageCursor.Field, error!);
        });
    }
}

public sealed class ListWebhookEndpointsQueryHandler(ICurrentCaller caller, IWebhookQueries queries)
    : IQueryHandler<ListWebhookEndpointsQuery, WebhookEndpointPage>
{
    public async ValueTask<WebhookEndpointPage> Handle(ListWebhookEndpointsQuery query, CancellationToken cancellationToken)
    {
        var after = query.Cursor is null ? null
            : WebhookEndpointListCursor.TryDecode(query.Cursor, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;
        var rows = await queries.ListAsync(caller.OrganizationId, after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        return new WebhookEndpointPage
        {
            Data = page,
            NextCursor = rows.Count > limit ? WebhookEndpointListCursor.Encode(page[^1]) : null,
        };
    }
}
