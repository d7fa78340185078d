using Convor.Domain.Common;

namespace Convor.Domain.Operators;

public enum OperatorRole
{
    Agent,
    Admin,
}

/// <summary>Whether an operator is at the desk: only <see cref="Online"/> operators are given conversations by routing.</summary>
public enum OperatorAvailability
{
    Online,
    Away,
    Offline,
}

/// <summary>
/// A human who can take conversations over from the AI agent.
/// <see cref="Version"/> is the per-operator serialization point of assignment: every change
/// of the operator (deactivation, availability, maximum) and every routed assignment moves it,
/// and every save that assigns a conversation to the operator checks it (docs/adr/0800).
/// </summary>
public sealed class Operator : AggregateRoot
{
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 320;
    public const int MinMaxConversations = 1;
    public const int MaxMaxConversations = 100;
    public const int DefaultMaxConversations = 5;

    private Operator() { Name = string.Empty; Email = string.Empty; }

    public OperatorId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public string Name { get; private set; }

    /// <summary>Stored lower-cased, so uniqueness per organization ignores case.</summary>
    public string Email { get; private set; }

    public OperatorRole Role { get; private set; }

    /// <summary>An inactive operator keeps its history but can no longer be assigned.</summary>
    public bool Active { get; private set; }

    public OperatorAvailability Availability { get; private set; }

    /// <summary>Most open conversations routing gives it; a person's own assignment may go above.</summary>
    public int MaxConversations { get; private set; }

    /// <summary>When routing last gave it a conversation: ties between equally loaded operators go to the oldest.</summary>
    public DateTimeOffset? LastRoutedAt { get; private set; }

    /// <summary>Optimistic-concurrency version of the row, checked by every save that assigns to it.</summary>
    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Operator Create(
        OrganizationId organizationId, string name, string email, OperatorRole role, bool active, DateTimeOffset now,
        OperatorAvailability availability = OperatorAvailability.Offline, int maxConversations = DefaultMaxConversations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        EnsureMaxConversationsInRange(maxConversations);
        now = Timestamp.Normalize(now);
        return new Operator
        {
            Id = OperatorId.New(),
            OrganizationId = organizationId,
            Name = name.Trim(),
            Email = NormalizeEmail(email),
            Role = role,
            Active = active,
            Availability = availability,
            MaxConversations = maxConversations,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Whether routing may give it one more conversation while it holds <paramref name="openConversations"/>.</summary>
    public bool CanTakeRoutedConversation(int openConversations) =>
        Active && Availability == OperatorAvailability.Online && openConversations < MaxConversations;

    /// <summary>
    /// Applies the given changes (null leaves a field as it is); returns false (and leaves
    /// UpdatedAt alone) when nothing differs. The email is the operator's identity in the
    /// organization and is not changed here. A change that may give routing room (active again,
    /// online, a higher maximum) raises <see cref="RoutingCapacityMayHaveGrown"/>.
    /// </summary>
    public bool Update(
        string? name, OperatorRole? role, bool? active, DateTimeOffset now,
        OperatorAvailability? availability = null, int? maxConversations = null)
    {
        if (name is not null && string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Name must not be blank.", nameof(name));
        if (name is not null && name.Trim().Length > NameMaxLength) throw new ArgumentException($"Name is longer than {NameMaxLength}.", nameof(name));
        if (maxConversations is { } max) EnsureMaxConversationsInRange(max);
        var changed = false;
        var capacityMayGrow = false;
        if (name is not null && name.Trim() != Name) { Name = name.Trim(); changed = true; }
        if (role is { } r && r != Role) { Role = r; changed = true; }
        if (active is { } a && a != Active) { Active = a; changed = true; capacityMayGrow |= a; }
        if (availability is { } v && v != Availability)
        {
            Availability = v;
            changed = true;
            capacityMayGrow |= v == OperatorAvailability.Online;
        }
        if (maxConversations is { } m && m != MaxConversations)
        {
            capacityMayGrow |= m > MaxConversations;
            MaxConversations = m;
            changed = true;
        }
        if (!changed) return false;
        now = Timestamp.Normalize(now);
        UpdatedAt = now;
        Version++;
        if (capacityMayGrow) Raise(new RoutingCapacityMayHaveGrown(OrganizationId, now));
        return true;
    }

    /// <summary>Routing gave it a conversation: its load grew and it goes to the back of the round robin.</summary>
    public void RecordRoutedAssignment(DateTimeOffset now)
    {
        LastRoutedAt = Timestamp.Normalize(now);
        Version++;
    }

    private static void EnsureMaxConversationsInRange(int maxConversations)
    {
        if (maxConversations is < MinMaxConversations or > MaxMaxConversations)
            throw new ArgumentOutOfRangeException(nameof(maxConversations), $"Must be {MinMaxConversations}-{MaxMaxConversations}.");
    }
}

/// <summary>An operator came online, became active again or had its maximum raised: routing may give it a waiting conversation.</summary>
public sealed record RoutingCapacityMayHaveGrown(OrganizationId OrganizationId, DateTimeOffset OccurredAt) : Conversations.IWakesRoutingQueue;
