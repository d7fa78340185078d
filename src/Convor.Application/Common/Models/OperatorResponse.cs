using Convor.Domain.Operators;

namespace Convor.Application.Common.Models;

/// <summary>The operator as the contract writes it.</summary>
public sealed record OperatorResponse
{
    public required Guid Id { get; init; }
    public required Guid OrgId { get; init; }
    public required string Name { get; init; }
    public required string Email { get; init; }
    public required OperatorRole Role { get; init; }
    public required bool Active { get; init; }
    public required OperatorAvailability Availability { get; init; }
    public required int MaxConversations { get; init; }

    /// <summary>Read-only: how many of its assigned conversations are not closed.</summary>
    public required int OpenConversations { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An operator with its load, the source of <see cref="OperatorResponse"/> (the load is counted, not stored).</summary>
public sealed record OperatorWithLoad
{
    public required Operator Operator { get; init; }
    public required int OpenConversations { get; init; }
}
