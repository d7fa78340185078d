using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Domain.Common;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.ListConversationEvents;

/// <summary><c>GET /api/conversations/{id}/events</c>: the activity log, oldest first, paged like every list.</summary>
public sealed record ListConversationEventsQuery(ConversationId ConversationId, int? Limit = null, string? Cursor = null)
    : IQuery<ConversationEventPage>;

/// <summary>The log only grows, so the cursor is the version of the last entry returned, bound to the conversation.</summary>
public static class ConversationEventCursor
{
    public const string List = "conversation-events";

    public static string Encode(long version, ConversationId conversationId) =>
        PageCursor.Encode(List, PageCursor.HashFilters(conversationId.ToString()), PageCursor.FormatLong(version));

    /// <summary>The version to continue after, or null with the reason.</summary>
    public static long? TryDecode(string cursor, ConversationId conversationId, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, List, PageCursor.HashFilters(conversationId.ToString()), keyLength: 1, out error);
        if (key is null) return null;
        if (!PageCursor.TryParseLong(key[0], out var version))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return version;
    }
}

public sealed class ListConversationEventsQueryValidator : AbstractValidator<ListConversationEventsQuery>
{
    public ListConversationEventsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is null) return;
            if (ConversationEventCursor.TryDecode(cursor, context.InstanceToValidate.ConversationId, out var error) is null)
                context.AddFailure(PageCursor.Field, error!);
        });
    }
}

public sealed class ListConversationEventsQueryHandler(ICurrentCaller caller, IConversationQueries queries)
    : IQueryHandler<ListConversationEventsQuery, ConversationEventPage>
{
    public async ValueTask<ConversationEventPage> Handle(ListConversationEventsQuery query, CancellationToken cancellationToken)
    {
        var afterVersion = query.Cursor is null ? 0
            : ConversationEventCursor.TryDecode(query.Cursor, query.ConversationId, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;

        var rows = await queries.ListEventsAsync(caller.OrganizationId, query.ConversationId, afterVersion, limit + 1, cancellationToken);
        // Every conversation has at least its `created` entry, so only an empty answer needs
        // the extra look-up that tells "no such conversation here" from "past the end".
        if (rows.Count == 0 && !await queries.ExistsAsync(caller.OrganizationId, query.ConversationId, cancellationToken))
            throw new ConversationNotFoundException();

        var page = rows.Take(limit).ToList();
        return new ConversationEventPage
        {
            Data = page.Select(r => r.Event).ToList(),
            NextCursor = rows.Count > limit ? ConversationEventCursor.Encode(page[^1].Version, query.ConversationId) : null,
        };
    }
}
