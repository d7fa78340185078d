namespace Convor.Domain.Common;

// Strongly typed ids: an OperatorId can never be passed where a ConversationId is meant.
// New ids are version-7 UUIDs, so they arrive in roughly ascending order and keep
// clustered indexes compact on every provider.
//
// Conversation and operator ids can be compared with < and > only so that keyset paging can
// say `c.Id < after.Id` in LINQ: EF translates it to SQL, where the database compares in the
// same uuid order it sorts by. In memory the order is Guid's, which may differ from a
// database's (SQL Server sorts uniqueidentifier by its last bytes first); never mix the two.

public readonly record struct OrganizationId(Guid Value)
{
    public static OrganizationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct OperatorId(Guid Value) : IComparable<OperatorId>
{
    public static OperatorId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");

    public int CompareTo(OperatorId other) => Value.CompareTo(other.Value);
    public static bool operator <(OperatorId left, OperatorId right) => left.CompareTo(right) < 0;
    public static bool operator >(OperatorId left, OperatorId right) => left.CompareTo(right) > 0;
    public static bool operator <=(OperatorId left, OperatorId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(OperatorId left, OperatorId right) => left.CompareTo(right) >= 0;
}

public readonly record struct VisitorId(Guid Value)
{
    public static VisitorId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct ConversationId(Guid Value) : IComparable<ConversationId>
{
    public static ConversationId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");

    public int CompareTo(ConversationId other) => Value.CompareTo(other.Value);
    public static bool operator <(ConversationId left, ConversationId right) => left.CompareTo(right) < 0;
    public static bool operator >(ConversationId left, ConversationId right) => left.CompareTo(right) > 0;
    public static bool operator <=(ConversationId left, ConversationId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ConversationId left, ConversationId right) => left.CompareTo(right) >= 0;
}

public readonly record struct MessageId(Guid Value)
{
    public static MessageId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}

public readonly record struct ApiKeyId(Guid Value)
{
    public static ApiKeyId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString("D");
}
