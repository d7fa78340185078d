namespace Convor.Domain.Common;

// Strongly typed ids: an OperatorId can never be passed where a ConversationId is meant.
// New ids are version-7 UUIDs, so they arrive in roughly ascending order and keep
// clustered indexes compact on every provider.

public readonly record struct OrganizationId(Guid Value)
{
    public static OrganizationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct OperatorId(Guid Value)
{
    public static OperatorId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct VisitorId(Guid Value)
{
    public static VisitorId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct ConversationId(Guid Value)
{
    public static ConversationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct ApiKeyId(Guid Value)
{
    public static ApiKeyId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}
