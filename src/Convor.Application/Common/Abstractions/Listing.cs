using Convor.Domain.Common;
using Convor.Domain.Conversations;

namespace Convor.Application.Common.Abstractions;

/// <summary>
/// The filters of <c>GET /api/conversations</c>, validated and normalized: every filter given
/// must hold (AND); a filter with several values holds when any of them does (OR). An empty
/// list is no filter. Values are distinct and in a fixed order, so the same set of values
/// always makes the same filter (and the same cursor binding). <see cref="Statuses"/> are the
/// statuses a reader sees: <c>open</c> includes snoozes that have ended, <c>snoozed</c> excludes them.
/// </summary>
public sealed record ConversationListFilter(
    IReadOnlyList<ConversationStatus> Statuses,
    IReadOnlyList<ConversationPriority> Priorities,
    IReadOnlyList<ConversationChannel> Channels,
    IReadOnlyList<OperatorId> AssignedOperatorIds,
    bool UnassignedOnly,
    IReadOnlyList<string> SearchTokens,
    bool WaitingOnly = false);

/// <summary>
/// The sort key of the last conversation of a page (newest <c>lastMessageAt</c> first, nulls
/// last, then newest <c>createdAt</c>, then <c>id</c> descending); the next page starts strictly after it.
/// </summary>
public sealed record ConversationListPosition(DateTimeOffset? LastMessageAt, DateTimeOffset CreatedAt, ConversationId Id);

/// <summary>The sort key of the waiting list (oldest request first, then <c>id</c>).</summary>
public sealed record WaitingListPosition(DateTimeOffset WaitingSince, ConversationId Id);

/// <summary>A waiting conversation with the time it asked for a human, which orders the waiting list.</summary>
public sealed record WaitingConversationRow(Models.ConversationResponse Conversation, DateTimeOffset WaitingSince);

/// <summary>The filters of <c>GET /api/operators</c>: <see cref="Availability"/> is any-of; empty means all.</summary>
public sealed record OperatorListFilter(IReadOnlyList<Domain.Operators.OperatorAvailability> Availability);

/// <summary>The sort key of the last operator of a page (oldest <c>createdAt</c> first, then <c>id</c>).</summary>
public sealed record OperatorListPosition(DateTimeOffset CreatedAt, OperatorId Id);

/// <summary>One activity-log entry with its position in the conversation's log.</summary>
public sealed record ActivityLogItem(long Version, Models.ConversationEventResponse Event);
