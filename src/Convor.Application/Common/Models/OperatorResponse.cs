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
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
