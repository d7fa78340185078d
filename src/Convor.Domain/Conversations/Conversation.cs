using System.Text.Json;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Convor.Domain.Routing;
using Convor.Domain.Visitors;

namespace Convor.Domain.Conversations;

/// <summary>
/// A live-chat conversation between a visitor and either the AI agent or a human operator.
/// Every rule of the contract's commands lives in the methods below. A method that changes
/// nothing returns false, leaves <see cref="UpdatedAt"/> and <see cref="Version"/> alone and
/// raises no event; each version it adds raises exactly one activity event, so every version
/// has exactly one activity-log entry.
/// </summary>
public sealed class Conversation : AggregateRoot
{
    private Conversation() { Metadata = ConversationMetadata.Empty; SearchVector = string.Empty; MessageSearchText = string.Empty; }

    public ConversationId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public VisitorId VisitorId { get; private set; }
    public OperatorId? AssignedOperatorId { get; private set; }
    public ConversationStatus Status { get; private set; }
    public ConversationPriority Priority { get; private set; }
    public ResolvedBy? ResolvedBy { get; private set; }
    public ConversationChannel Channel { get; private set; }
    public bool AiActive { get; private set; }
    public DateTimeOffset? SnoozedUntil { get; private set; }
    public DateTimeOffset? LastMessageAt { get; private set; }
    public ConversationMetadata Metadata { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string SearchVector { get; private set; }

    /// <summary>
    /// Set while the conversation is <b>waiting</b>: the AI asked for a human, nobody could take
    /// it, and routing gives it to the first operator with room (oldest request first). Cleared
    /// when an operator takes it or it is closed. Not a wire field: <c>?waiting=true</c> reads it.
    /// </summary>
    public DateTimeOffset? WaitingSince { get; private set; }

    /// <summary>
    /// The normalized words of the messages so far (not on the wire): kept so that replacing
    /// the metadata can rebuild <see cref="SearchVector"/> without reading every message.
    /// </summary>
    public string MessageSearchText { get; private set; }

    /// <summary>Optimistic-concurrency version: starts at 1, +1 on every real change. It is the ETag.</summary>
    public long Version { get; private set; }

    public static Conversation Create(
        OrganizationId organizationId,
        Visitor visitor,
        ConversationChannel channel,
        ConversationPriority priority,
        ConversationMetadata? metadata,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        if (visitor.OrganizationId != organizationId) throw new InvalidVisitorException();
        now = Timestamp.Normalize(now);
        metadata ??= ConversationMetadata.Empty;
        var conversation = new Conversation
        {
            Id = ConversationId.New(),
            OrganizationId = organizationId,
            VisitorId = visitor.Id,
            Status = ConversationStatus.Open,
            Priority = priority,
            Channel = channel,
            AiActive = true,
            Metadata = metadata,
            SearchVector = SearchText.FromMetadata(metadata),
            MessageSearchText = string.Empty,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var initial = Snapshot.Of(conversation);
        conversation.Raise(new ConversationCreated(conversation.Id, organizationId,
        [
            new FieldChange("visitorId", null, visitor.Id.Value),
            new FieldChange("status", null, initial.Status),
            new FieldChange("priority", null, initial.Priority),
            new FieldChange("channel", null, channel),
            new FieldChange("aiActive", null, initial.AiActive),
            new FieldChange("metadata", null, ToJson(metadata)),
        ], now) { Version = 1 });
        return conversation;
    }

    /// <summary>The status a reader sees: a snooze whose end has passed counts as open (<see cref="EndedSnooze"/>).</summary>
    public ConversationStatus EffectiveStatus(DateTimeOffset now) => EndedSnooze.StatusSeenAt(Status, SnoozedUntil, now);

    /// <summary>
    /// A human takes the conversation over: the operator must be of the same organization,
    /// active, and the conversation not closed. A snoozed conversation stays snoozed.
    /// </summary>
    public bool AssignOperator(Operator @operator, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        now = Timestamp.Normalize(now);
        if (@operator.OrganizationId != OrganizationId) throw new InvalidOperatorException();
        WakeIfSnoozeExpired(now);
        if (Status == ConversationStatus.Closed) throw new ConversationClosedException();
        if (!@operator.Active) throw new OperatorInactiveException();
        // The save checks the operator's version (docs/adr/0800), so an assignment racing the
        // operator's deactivation cannot commit.
        return Apply(now,
            () => { AssignedOperatorId = @operator.Id; AiActive = false; WaitingSince = null; },
            changes => new OperatorAssigned(Id, OrganizationId, @operator.Id, changes, now));
    }

    /// <summary>
    /// The AI asks for a human. Closed: refused. Assigned already: nothing changes. Otherwise
    /// the AI stops answering and <see cref="OperatorRouting"/> picks an operator among
    /// <paramref name="candidates"/>; with nobody available the conversation is waiting (once:
    /// asking again while waiting keeps its place in the queue).
    /// </summary>
    public bool RequestHandoff(IEnumerable<RoutingCandidate> candidates, DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);
        if (Status == ConversationStatus.Closed) throw new ConversationClosedException();
        if (AssignedOperatorId is not null) return false;
        if (OperatorRouting.Choose(OrganizationId, candidates) is { } chosen) return RouteTo(chosen, now);
        if (IsWaiting) return false;
        return Apply(now,
            () => { AiActive = false; WaitingSince = now; },
            changes => new HandoffRequested(Id, OrganizationId, changes, now));
    }

    /// <summary>
    /// What counts in an operator's load (its <c>openConversations</c>): an assigned
    /// conversation that is not closed, snoozed ones included. The expression form is what
    /// queries count with; <see cref="CountsInOperatorLoad"/> is the same rule in memory.
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<Conversation, bool>> InOperatorLoad =
        c => c.AssignedOperatorId != null && c.Status != ConversationStatus.Closed;

    private static readonly Func<Conversation, bool> InOperatorLoadCompiled = InOperatorLoad.Compile();

    public bool CountsInOperatorLoad => InOperatorLoadCompiled(this);

    /// <summary>Whether the conversation is in the routing queue.</summary>
    public bool IsWaiting => WaitingSince is not null && AssignedOperatorId is null && Status != ConversationStatus.Closed;

    /// <summary>
    /// The queue drains: a waiting conversation goes to the operator routing picks among
    /// <paramref name="candidates"/>. False when it is no longer waiting or nobody has room.
    /// </summary>
    public bool RouteWaiting(IEnumerable<RoutingCandidate> candidates, DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        if (!IsWaiting) return false;
        return OperatorRouting.Choose(OrganizationId, candidates) is { } chosen && RouteTo(chosen, now);
    }

    private bool RouteTo(Operator chosen, DateTimeOffset now)
    {
        if (!Apply(now,
            () => { AssignedOperatorId = chosen.Id; AiActive = false; WaitingSince = null; },
            changes => new OperatorAssigned(Id, OrganizationId, chosen.Id, [.. changes, new FieldChange("via", null, ActivityActor.Routing)], now)
            {
                Actor = ActivityActor.Routing,
            }))
            return false;
        chosen.RecordRoutedAssignment(now);
        return true;
    }

    /// <summary>The AI agent takes the conversation back. Unassigned already: nothing changes.</summary>
    public bool Unassign(DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);
        if (Status == ConversationStatus.Closed) throw new ConversationClosedException();
        if (AssignedOperatorId is null) return false;
        return Apply(now,
            () => { AssignedOperatorId = null; AiActive = true; },
            changes => new OperatorUnassigned(Id, OrganizationId, changes, now));
    }

    /// <summary>
    /// Closes the conversation. Without an explicit resolver: the operator if one is assigned,
    /// else the AI if it was answering, else the system. Closing a closed conversation is a no-op.
    /// </summary>
    public bool Close(ResolvedBy? resolvedBy, DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);
        if (Status == ConversationStatus.Closed) return false;
        var resolver = resolvedBy ?? DefaultResolver();
        return Apply(now,
            () =>
            {
                Status = ConversationStatus.Closed;
                AiActive = false;
                SnoozedUntil = null;
                ResolvedBy = resolver;
                WaitingSince = null;
            },
            changes => new ConversationClosed(Id, OrganizationId, resolver, changes, now));
    }

    /// <summary>
    /// A closed or snoozed conversation becomes open again. Reopened from closed, the AI agent
    /// answers again unless an operator is still assigned. A snooze that has already ended is
    /// woken by the system first, so the caller's reopen is then a no-op.
    /// </summary>
    public bool Reopen(DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);
        if (Status == ConversationStatus.Open) return false;
        var wasClosed = Status == ConversationStatus.Closed;
        return Apply(now,
            () =>
            {
                Status = ConversationStatus.Open;
                ResolvedBy = null;
                SnoozedUntil = null;
                if (wasClosed) AiActive = AssignedOperatorId is null;
            },
            changes => new ConversationReopened(Id, OrganizationId, changes, now));
    }

    /// <summary>Puts the conversation aside until <paramref name="until"/>, which must be in the future.</summary>
    public bool Snooze(DateTimeOffset until, DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        until = Timestamp.Normalize(until);
        if (until <= now) throw new SnoozeInPastException();
        WakeIfSnoozeExpired(now);
        if (Status == ConversationStatus.Closed) throw new ConversationClosedException();
        return Apply(now,
            () => { Status = ConversationStatus.Snoozed; SnoozedUntil = until; },
            changes => new ConversationSnoozed(Id, OrganizationId, until, changes, now));
    }

    /// <summary>Allowed in every status, closed included: triage does not depend on the lifecycle.</summary>
    public bool ChangePriority(ConversationPriority priority, DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);
        return Apply(now,
            () => Priority = priority,
            changes => new PriorityChanged(Id, OrganizationId, changes, now));
    }

    /// <summary>
    /// Replaces the metadata object as a whole and recomputes the search text from it. Allowed
    /// in every status, closed included.
    /// </summary>
    public bool ReplaceMetadata(ConversationMetadata metadata, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);
        return Apply(now,
            () => { Metadata = metadata; SearchVector = SearchText.Compose(metadata, MessageSearchText); },
            changes => new MetadataChanged(Id, OrganizationId, changes, now));
    }

    /// <summary>
    /// Persists what readers already see: an expired snooze becomes open. Used by the
    /// background sweep and before any command, so rules run on the effective state.
    /// </summary>
    public bool WakeIfSnoozeExpired(DateTimeOffset now)
    {
        now = Timestamp.Normalize(now);
        if (!EndedSnooze.HasEnded(Status, SnoozedUntil, now)) return false;
        return Apply(now,
            () => { Status = ConversationStatus.Open; SnoozedUntil = null; },
            changes => new ConversationReopened(Id, OrganizationId, changes, now) { Actor = ActivityActor.System });
    }

    /// <summary>
    /// Someone writes in the conversation. The visitor's reply reopens a closed or snoozed
    /// conversation (a <c>reopened</c> entry first). The AI may not talk once a human took over.
    /// An operator writing in an unassigned conversation takes it (an <c>assigned</c> entry
    /// first); one held by another operator is not theirs to write in. Nobody but the visitor
    /// writes in a closed conversation. The message itself is one more version with its own
    /// <c>message_added</c> entry, moves <see cref="LastMessageAt"/> to its time and adds its
    /// words to the search text. <paramref name="operator"/> is given exactly when
    /// <paramref name="author"/> is an operator.
    /// </summary>
    public Message AddMessage(MessageAuthor author, Operator? @operator, string body, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(body);
        if ((author == MessageAuthor.Operator) != (@operator is not null))
            throw new ArgumentException("An operator is given exactly when the author is an operator.", nameof(@operator));
        if (@operator is not null && @operator.OrganizationId != OrganizationId) throw new InvalidOperatorException();
        now = Timestamp.Normalize(now);
        WakeIfSnoozeExpired(now);

        if (author == MessageAuthor.Visitor)
        {
            Reopen(now);
        }
        else
        {
            if (Status == ConversationStatus.Closed) throw new ConversationClosedException();
            if (author == MessageAuthor.Ai && !AiActive) throw new AiNotActiveException();
            if (@operator is not null)
            {
                if (!@operator.Active) throw new OperatorInactiveException();
                if (AssignedOperatorId is null) AssignOperator(@operator, now);
                else if (AssignedOperatorId != @operator.Id) throw new OperatorNotAssignedException();
            }
        }

        // Messages of one conversation are ordered by version; their times never go backwards
        // along it, even when the instance that writes runs a little behind the last one.
        var createdAt = LastMessageAt is { } last && last > now ? last : now;
        var change = new FieldChange("lastMessageAt", LastMessageAt, createdAt);
        LastMessageAt = createdAt;
        MessageSearchText = SearchText.AppendMessage(MessageSearchText, body);
        SearchVector = SearchText.Compose(Metadata, MessageSearchText);
        UpdatedAt = now;
        Version++;
        var message = Message.Write(this, author, @operator?.Id, body, createdAt, Version);
        Raise(new MessageAdded(Id, OrganizationId, message, [change], now) { Version = Version });
        return message;
    }

    private ResolvedBy DefaultResolver() =>
        AssignedOperatorId is not null ? Conversations.ResolvedBy.Operator
        : AiActive ? Conversations.ResolvedBy.Ai
        : Conversations.ResolvedBy.System;

    private bool Apply(DateTimeOffset now, Action mutate, Func<IReadOnlyList<FieldChange>, ConversationActivity> activity)
    {
        var before = Snapshot.Of(this);
        mutate();
        var after = Snapshot.Of(this);
        var changes = before.DiffTo(after);
        if (changes.Count == 0 && before.WaitingSince == after.WaitingSince) return false;
        UpdatedAt = now;
        Version++;
        Raise(activity(changes) with { Version = Version });
        return true;
    }

    private static JsonElement ToJson(ConversationMetadata metadata)
    {
        using var document = JsonDocument.Parse(metadata.Json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The fields a command can move, compared to find real changes. Those named as on the wire
    /// are the activity entry's data; the waiting mark is not a wire field and only counts as a change.
    /// </summary>
    private readonly record struct Snapshot(
        Guid? AssignedOperatorId,
        ConversationStatus Status,
        ConversationPriority Priority,
        ResolvedBy? ResolvedBy,
        bool AiActive,
        DateTimeOffset? SnoozedUntil,
        ConversationMetadata Metadata,
        DateTimeOffset? WaitingSince)
    {
        public static Snapshot Of(Conversation c) =>
            new(c.AssignedOperatorId?.Value, c.Status, c.Priority, c.ResolvedBy, c.AiActive, c.SnoozedUntil, c.Metadata, c.WaitingSince);

        public List<FieldChange> DiffTo(Snapshot after)
        {
            var changes = new List<FieldChange>();
            if (AssignedOperatorId != after.AssignedOperatorId) changes.Add(new("assignedOperatorId", AssignedOperatorId, after.AssignedOperatorId));
            if (Status != after.Status) changes.Add(new("status", Status, after.Status));
            if (Priority != after.Priority) changes.Add(new("priority", Priority, after.Priority));
            if (ResolvedBy != after.ResolvedBy) changes.Add(new("resolvedBy", ResolvedBy, after.ResolvedBy));
            if (AiActive != after.AiActive) changes.Add(new("aiActive", AiActive, after.AiActive));
            if (SnoozedUntil != after.SnoozedUntil) changes.Add(new("snoozedUntil", SnoozedUntil, after.SnoozedUntil));
            if (!Metadata.Equals(after.Metadata)) changes.Add(new("metadata", ToJson(Metadata), ToJson(after.Metadata)));
            return changes;
        }
    }
}
