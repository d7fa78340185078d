using Convor.Domain.Common;

namespace Convor.Domain.Visitors;

/// <summary>Someone who talks to an organization through one of its channels.</summary>
public sealed class Visitor
{
    private Visitor() { }

    public VisitorId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Visitor Create(OrganizationId organizationId, DateTimeOffset now) =>
        new() { Id = VisitorId.New(), OrganizationId = organizationId, CreatedAt = Timestamp.Normalize(now) };
}
