using Convor.Domain.Common;

namespace Convor.Domain.Conversations;

/// <summary>
/// One line of a conversation's activity log: what changed, who did it, and the fields'
/// before/after values. Written in the same transaction as the change it describes.
/// </summary>
public sealed class ActivityLogEntry
{
    private ActivityLogEntry() { Type = string.Empty; Actor = string.Empty; Data = "{}"; }

    public Guid Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public ConversationId ConversationId { get; private set; }

    /// <summary>The conversation version this change produced: unique per conversation, so it orders the log.</summary>
    public long Version { get; private set; }

    public string Type { get; private set; }
    public string Actor { get; private set; }

    /// <summary>JSON object <c>{"before":{…},"after":{…}}</c> of the fields that changed.</summary>
    public string Data { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public static ActivityLogEntry Record(ConversationActivity activity, string actor, string dataJson)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new ActivityLogEntry
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = activity.OrganizationId,
            ConversationId = activity.ConversationId,
            Version = activity.Version,
            Type = activity.Type,
            Actor = activity.Actor ?? actor,
            Data = dataJson,
            OccurredAt = Timestamp.Normalize(activity.OccurredAt),
        };
    }
}
