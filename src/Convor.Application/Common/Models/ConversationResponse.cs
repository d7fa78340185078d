using System.Text.Json;
using Convor.Domain.Conversations;

namespace Convor.Application.Common.Models;

/// <summary>
/// The conversation as the contract writes it: exactly these 15 fields, in this order.
/// Property order is the JSON order, so do not reorder.
/// </summary>
public sealed record ConversationResponse
{
    public required Guid Id { get; init; }
    public required Guid OrgId { get; init; }
    public required Guid VisitorId { get; init; }
    public required Guid? AssignedOperatorId { get; init; }
    public required ConversationStatus Status { get; init; }
    public required ConversationPriority Priority { get; init; }
    public required ResolvedBy? ResolvedBy { get; init; }
    public required ConversationChannel Channel { get; init; }
    public required bool AiActive { get; init; }
    public required DateTimeOffset? SnoozedUntil { get; init; }
    public required DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>Free-form JSON object, kept as sent.</summary>
    public required JsonElement Metadata { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Normalized search text; <c>""</c> when there is none.</summary>
    public required string SearchVector { get; init; }

    /// <summary>
    /// What a reader sees at <paramref name="now"/>: a snooze whose end has passed counts as
    /// open, with no snooze end, even before the sweep has written that down.
    /// </summary>
    public ConversationResponse AsSeenAt(DateTimeOffset now) =>
        EndedSnooze.HasEnded(Status, SnoozedUntil, now)
            ? this with { Status = ConversationStatus.Open, SnoozedUntil = null }
            : this;
}

/// <summary>A conversation with its version, which the API sends as the ETag.</summary>
public sealed record ConversationResult
{
    public required ConversationResponse Conversation { get; init; }
    public required long Version { get; init; }
}
