using Convor.Domain.Conversations;

namespace Convor.Domain.Webhooks;

/// <summary>
/// The event types of the contract and the one table that says which activity-log entry
/// becomes which event. A new kind of activity entry reaches webhooks by adding one line to
/// <see cref="ByActivityType"/>; an entry type missing from it sends no event.
/// </summary>
public static class WebhookEventTypes
{
    public const string ConversationCreated = "conversation.created";
    public const string ConversationAssigned = "conversation.assigned";
    public const string ConversationUnassigned = "conversation.unassigned";
    public const string ConversationClosed = "conversation.closed";
    public const string ConversationReopened = "conversation.reopened";
    public const string ConversationSnoozed = "conversation.snoozed";
    public const string ConversationUpdated = "conversation.updated";
    public const string ConversationHandoffRequested = "conversation.handoff_requested";
    public const string MessageCreated = "message.created";

    /// <summary>Subscribes an endpoint to every event type, present and future.</summary>
    public const string Wildcard = "*";

    public static readonly IReadOnlyList<string> All =
    [
        ConversationCreated, ConversationAssigned, ConversationUnassigned, ConversationClosed, ConversationReopened,
        ConversationSnoozed, ConversationUpdated, ConversationHandoffRequested, MessageCreated,
    ];

    private static readonly Dictionary<string, string> ByActivityType = new(StringComparer.Ordinal)
    {
        [ActivityTypes.Created] = ConversationCreated,
        [ActivityTypes.Assigned] = ConversationAssigned,
        [ActivityTypes.Unassigned] = ConversationUnassigned,
        [ActivityTypes.Closed] = ConversationClosed,
        [ActivityTypes.Reopened] = ConversationReopened,
        [ActivityTypes.Snoozed] = ConversationSnoozed,
        [ActivityTypes.PriorityChanged] = ConversationUpdated,
        [ActivityTypes.MetadataChanged] = ConversationUpdated,
        ["message_added"] = MessageCreated,
        ["handoff_requested"] = ConversationHandoffRequested,
    };

    /// <summary>The event an activity-log entry of <paramref name="activityType"/> sends, or null for none.</summary>
    public static string? ForActivityType(string activityType) =>
        ByActivityType.TryGetValue(activityType, out var eventType) ? eventType : null;

    public static bool IsKnown(string eventType) => All.Contains(eventType, StringComparer.Ordinal);
}
