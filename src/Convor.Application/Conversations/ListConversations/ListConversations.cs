using Convor.Application.Common.Serialization;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.ListConversations;

/// <summary>
/// <c>GET /api/conversations</c>: every filter given must hold; a filter given several values
/// (<c>status=open&amp;status=snoozed</c>, or <c>status=open,snoozed</c>) holds when any of them
/// does. <paramref name="Q"/> matches conversations whose search text has every query word as
/// the start of one of its words.
/// </summary>
public sealed record ListConversationsQuery(
    IReadOnlyList<ConversationStatus>? Status = null,
    IReadOnlyList<ConversationPriority>? Priority = null,
    IReadOnlyList<ConversationChannel>? Channel = null,
    IReadOnlyList<Guid>? AssignedOperatorId = null,
    bool? Unassigned = null,
    string? Q = null,
    int? Limit = null,
    string? Cursor = null,
    bool? Waiting = null) : IQuery<ConversationPage>
{
    public const int QMaxLength = 200;
    public const int QMaxWords = 10;

    /// <summary>At most this many operators in one <c>assignedOperatorId</c> filter: a page is one query, not a batch job.</summary>
    public const int MaxOperatorIds = 50;

    /// <summary>
    /// The filters as the query port takes them: each filter's values distinct and sorted, search
    /// words normalized like the search text.
    /// </summary>
    public ConversationListFilter ToFilter() => new(
        Normalized(Status),
        Normalized(Priority),
        Normalized(Channel),
        Normalized(AssignedOperatorId).Select(id => new OperatorId(id)).ToList(),
        Unassigned == true,
        SearchText.Tokenize(Q ?? string.Empty).Distinct(StringComparer.Ordinal).ToList(),
        Waiting == true);

    /// <summary>Whether <paramref name="cursor"/> is a valid position of this list (the waiting list has its own order).</summary>
    internal bool TryDecodeCursor(string cursor, out string? error) => ToFilter() is var filter && filter.WaitingOnly
        ? WaitingListCursor.TryDecode(cursor, filter, out error) is not null
        : ConversationListCursor.TryDecode(cursor, filter, out error) is not null;

    private static List<T> Normalized<T>(IReadOnlyList<T>? values) => values is null ? [] : values.Distinct().Order().ToList();
}

/// <summary>The cursor of the conversation list: the sort key of the last row, bound to the filters.</summary>
public static class ConversationListCursor
{
    public const string List = "conversations";

    public static string FilterHash(ConversationListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        string?[] filters =
        [
            AnyOf(filter.Statuses), AnyOf(filter.Priorities), AnyOf(filter.Channels),
            AnyOf(filter.AssignedOperatorIds), filter.UnassignedOnly ? "unassigned" : null,
            string.Join(' ', filter.SearchTokens),
        ];
        // Appended only when given, so the cursors of the other filters keep their hash.
        return PageCursor.HashFilters(filter.WaitingOnly ? [.. filters, "waiting"] : filters);
    }

    // One value hashes as it did before filters took several, so cursors issued then stay valid.
    private static string? AnyOf<T>(IReadOnlyList<T> values) => values.Count == 0 ? null : string.Join(',', values);

    public static string Encode(ConversationResponse last, ConversationListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(last);
        return PageCursor.Encode(List, FilterHash(filter),
            last.LastMessageAt is { } at ? PageCursor.FormatTimestamp(at) : null,
            PageCursor.FormatTimestamp(last.CreatedAt),
            last.Id.ToString("D"));
    }

    public static ConversationListPosition? TryDecode(string cursor, ConversationListFilter filter, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, List, FilterHash(filter), keyLength: 3, out error);
        if (key is null) return null;
        DateTimeOffset lastMessageAt = default;
        if ((key[0] is not null && !PageCursor.TryParseTimestamp(key[0], out lastMessageAt))
            || !PageCursor.TryParseTimestamp(key[1], out var createdAt)
            || !PageCursor.TryParseGuid(key[2], out var id))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return new ConversationListPosition(key[0] is null ? null : lastMessageAt, createdAt, new ConversationId(id));
    }
}

/// <summary>The cursor of <c>?waiting=true</c>: oldest request first, so its key is (waiting since, id).</summary>
public static class WaitingListCursor
{
    public const string List = "conversations-waiting";

    public static string Encode(WaitingConversationRow last, ConversationListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(last);
        return PageCursor.Encode(List, ConversationListCursor.FilterHash(filter),
            PageCursor.FormatTimestamp(last.WaitingSince), last.Conversation.Id.ToString("D"));
    }

    public static WaitingListPosition? TryDecode(string cursor, ConversationListFilter filter, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, List, ConversationListCursor.FilterHash(filter), keyLength: 2, out error);
        if (key is null) return null;
        if (!PageCursor.TryParseTimestamp(key[0], out var waitingSince) || !PageCursor.TryParseGuid(key[1], out var id))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return new WaitingListPosition(waitingSince, new ConversationId(id));
    }
}

public sealed class ListConversationsQueryValidator : AbstractValidator<ListConversationsQuery>
{
    // A bad value is reported under the filter's name (`status`), not as `status[1]`: the client
    // may have sent it as one comma-separated value.
    private static string WholeFilter<T>(ListConversationsQuery query, IEnumerable<T> values, T value, int index) => string.Empty;

    public ListConversationsQueryValidator()
    {
        RuleForEach(q => q.Status).OverrideIndexer(WholeFilter<ConversationStatus>).IsInEnum().WithMessage(WireEnums.MustBeOneOf<ConversationStatus>());
        RuleForEach(q => q.Priority).OverrideIndexer(WholeFilter<ConversationPriority>).IsInEnum().WithMessage(WireEnums.MustBeOneOf<ConversationPriority>());
        RuleForEach(q => q.Channel).OverrideIndexer(WholeFilter<ConversationChannel>).IsInEnum().WithMessage(WireEnums.MustBeOneOf<ConversationChannel>());
        RuleForEach(q => q.AssignedOperatorId).OverrideIndexer(WholeFilter<Guid>).NotEqual(Guid.Empty).WithMessage("must be a UUID");
        RuleFor(q => q.AssignedOperatorId).Must(ids => ids!.Distinct().Count() <= ListConversationsQuery.MaxOperatorIds)
            .WithMessage($"must have at most {ListConversationsQuery.MaxOperatorIds} values").When(q => q.AssignedOperatorId is not null);
        RuleFor(q => q.Unassigned).Must(u => u != true).WithMessage("cannot be combined with assignedOperatorId")
            .When(q => q.AssignedOperatorId is { Count: > 0 });
        RuleFor(q => q.Waiting).Must(w => w != true).WithMessage("cannot be combined with assignedOperatorId")
            .When(q => q.AssignedOperatorId is { Count: > 0 });
        RuleFor(q => q.Q).MaximumLength(ListConversationsQuery.QMaxLength)
            .WithMessage($"must be at most {ListConversationsQuery.QMaxLength} characters")
            .Must(q => SearchText.Tokenize(q!).Distinct(StringComparer.Ordinal).Count() <= ListConversationsQuery.QMaxWords)
            .WithMessage($"must have at most {ListConversationsQuery.QMaxWords} words").When(q => q.Q is not null);
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is null) return;
            if (!context.InstanceToValidate.TryDecodeCursor(cursor, out var error)) context.AddFailure(PageCursor.Field, error!);
        });
    }
}

public sealed class ListConversationsQueryHandler(ICurrentCaller caller, IConversationQueries queries, TimeProvider clock)
    : IQueryHandler<ListConversationsQuery, ConversationPage>
{
    public async ValueTask<ConversationPage> Handle(ListConversationsQuery query, CancellationToken cancellationToken)
    {
        var filter = query.ToFilter();
        if (filter.WaitingOnly) return await ListWaitingAsync(query, filter, cancellationToken);
        var after = query.Cursor is null ? null
            : ConversationListCursor.TryDecode(query.Cursor, filter, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;
        var now = clock.GetUtcNow();

        // One row more than asked tells whether there is a next page without counting.
        var rows = await queries.ListAsync(caller.OrganizationId, filter, after, limit + 1, now, cancellationToken);
        var page = rows.Take(limit).Select(c => c.AsSeenAt(now)).ToList();
        return new ConversationPage
        {
            Data = page,
            NextCursor = rows.Count > limit ? ConversationListCursor.Encode(page[^1], filter) : null,
        };
    }

    private async ValueTask<ConversationPage> ListWaitingAsync(ListConversationsQuery query, ConversationListFilter filter, CancellationToken cancellationToken)
    {
        var after = query.Cursor is null ? null
            : WaitingListCursor.TryDecode(query.Cursor, filter, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;
        var now = clock.GetUtcNow();

        var rows = await queries.ListWaitingAsync(caller.OrganizationId, filter, after, limit + 1, now, cancellationToken);
        var page = rows.Take(limit).ToList();
        return new ConversationPage
        {
            Data = page.Select(r => r.Conversation.AsSeenAt(now)).ToList(),
            NextCursor = rows.Count > limit ? WaitingListCursor.Encode(page[^1], filter) : null,
        };
    }
}
