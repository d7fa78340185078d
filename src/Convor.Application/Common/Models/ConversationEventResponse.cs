using System.Text.Json;

namespace Convor.Application.Common.Models;

/// <summary>One entry of a conversation's activity log, as the contract writes it.</summary>
public sealed record ConversationEventResponse
{
    public required Guid Id { get; init; }
    public required Guid ConversationId { get; init; }

    /// <summary><c>created</c>, <c>assigned</c>, <c>unassigned</c>, <c>closed</c>, <c>reopened</c>, <c>snoozed</c>, <c>priority_changed</c>, <c>metadata_changed</c> or <c>message_added</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>apiKey:&lt;key id&gt;</c> for a change made through the API, <c>system</c> for one Convor made itself.</summary>
    public required string Actor { get; init; }

    /// <summary>
    /// <c>{"before":{…},"after":{…}}</c> holding only the fields that changed, named and formatted as on
    /// the wire; for <c>message_added</c>, <c>{"messageId":…,"author":…}</c> (never the body).
    /// </summary>
    public required JsonElement Data { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
