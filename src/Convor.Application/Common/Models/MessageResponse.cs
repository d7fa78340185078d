using Convor.Domain.Conversations;

namespace Convor.Application.Common.Models;

/// <summary>A message as the contract writes it: exactly these 6 fields, in this order.</summary>
public sealed record MessageResponse
{
    public required Guid Id { get; init; }
    public required Guid ConversationId { get; init; }
    public required MessageAuthor Author { get; init; }

    /// <summary>Set only when <c>author</c> is <c>operator</c>.</summary>
    public required Guid? OperatorId { get; init; }

    /// <summary>1-10,000 characters; no control characters other than newline and tab.</summary>
    public required string Body { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A message with the conversation version that wrote it: its place in the list and its cursor.</summary>
public sealed record MessageItem
{
    public required long Version { get; init; }
    public required MessageResponse Message { get; init; }
}
