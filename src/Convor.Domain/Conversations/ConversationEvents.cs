using Convor.Domain.Common;

namespace Convor.Domain.Conversations;

/// <summary>The activity-log type names of the contract.</summary>
public static class ActivityTypes
{
    public const string Created = "created";
    public const string Assigned = "assigned";
    public const string Unassigned = "unassigned";
    public const string Closed = "closed";
    public const string Reopened = "reopened";
    public const string Snoozed = "snoozed";
    public const string PriorityChanged = "priority_changed";
    public const string MetadataChanged = "metadata_changed";
    public const string HandoffRequested = "handoff_requested";
    public const string MessageAdded = "message_added";
}

/// <summary>
/// An event after which the routing queue may move: it may have freed room on an operator
/// (a conversation closed, unassigned or handed to another operator; an operator online, active
/// again or with a higher maximum), or it queued a handoff.
/// </summary>
public interface IWakesRoutingQueue : IDomainEvent;

/// <summary>One field of a conversation that a change moved from <see cref="Before"/> to <see cref="After"/>.</summary>
public sealed record FieldChange(string Field, object? Before, object? After);

/// <summary>
/// Something that really happened to a conversation. Each one becomes one activity-log
/// entry in the same transaction as the change; a no-op raises none.
/// </summary>
public abstract record ConversationActivity(
    ConversationId ConversationId,
    OrganizationId OrganizationId,
    IReadOnlyList<FieldChange> Changes,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    public abstract string Type { get; }

    /// <summary>Who caused it when not the caller of the request (the snooze sweep); null means the caller.</summary>
    public string? Actor { get; init; }

    /// <summary>The conversation's version right after this change; orders the activity log.</summary>
    public long Version { get; init; }

    /// <summary>
    /// The entry's <c>data</c>: <c>{"before":{…},"after":{…}}</c> of the fields that changed,
    /// unless the kind of change says something else.
    /// </summary>
    public virtual object Data
    {
        get
        {
            var before = new Dictionary<string, object?>(StringComparer.Ordinal);
            var after = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var change in Changes)
            {
                before[change.Field] = change.Before;
                after[change.Field] = change.After;
            }
            return new { before, after };
        }
    }
}

public static class ActivityActor
{
    /// <summary>Changes made by Convor itself, such as an expired snooze waking up.</summary>
    public const string System = "system";

    /// <summary>Assignments routing made: a handoff answered at once, or the waiting queue draining.</summary>
    public const string Routing = "routing";
}

public sealed record ConversationCreated(ConversationId ConversationId, OrganizationId OrganizationId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt)
{
    public override string Type => ActivityTypes.Created;
}

public sealed record OperatorAssigned(ConversationId ConversationId, OrganizationId OrganizationId, OperatorId OperatorId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt), IWakesRoutingQueue
{
    public override string Type => ActivityTypes.Assigned;
}

public sealed record OperatorUnassigned(ConversationId ConversationId, OrganizationId OrganizationId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt), IWakesRoutingQueue
{
    public override string Type => ActivityTypes.Unassigned;
}

public sealed record ConversationClosed(ConversationId ConversationId, OrganizationId OrganizationId, ResolvedBy ResolvedBy, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt), IWakesRoutingQueue
{
    public override string Type => ActivityTypes.Closed;
}

public sealed record ConversationReopened(ConversationId ConversationId, OrganizationId OrganizationId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt)
{
    public override string Type => ActivityTypes.Reopened;
}

public sealed record ConversationSnoozed(ConversationId ConversationId, OrganizationId OrganizationId, DateTimeOffset Until, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt)
{
    public override string Type => ActivityTypes.Snoozed;
}

public sealed record PriorityChanged(ConversationId ConversationId, OrganizationId OrganizationId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt)
{
    public override string Type => ActivityTypes.PriorityChanged;
}

public sealed record MetadataChanged(ConversationId ConversationId, OrganizationId OrganizationId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt)
{
    public override string Type => ActivityTypes.MetadataChanged;
}

/// <summary>The AI asked for a human and nobody could take the conversation: it is waiting.</summary>
public sealed record HandoffRequested(ConversationId ConversationId, OrganizationId OrganizationId, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt), IWakesRoutingQueue
{
    public override string Type => ActivityTypes.HandoffRequested;
}
/// <summary>
/// A message was written. The log names the message and its author, never the body: bodies
/// are personal data and the log is read by integrations that have no need for them.
/// </summary>
public sealed record MessageAdded(ConversationId ConversationId, OrganizationId OrganizationId, Message Message, IReadOnlyList<FieldChange> Changes, DateTimeOffset OccurredAt)
    : ConversationActivity(ConversationId, OrganizationId, Changes, OccurredAt)
{
    public override string Type => ActivityTypes.MessageAdded;

    public override object Data => new MessageAddedData(Message.Id.Value, Message.Author);
}

/// <summary>The <c>data</c> of a <c>message_added</c> entry.</summary>
public sealed record MessageAddedData(Guid MessageId, MessageAuthor Author);
