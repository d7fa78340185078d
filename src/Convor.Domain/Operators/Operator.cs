using Convor.Domain.Common;

namespace Convor.Domain.Operators;

public enum OperatorRole
{
    Agent,
    Admin,
}

/// <summary>A human who can take conversations over from the AI agent.</summary>
public sealed class Operator
{
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 320;

    private Operator() { Name = string.Empty; Email = string.Empty; }

    public OperatorId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public string Name { get; private set; }

    /// <summary>Stored lower-cased, so uniqueness per organization ignores case.</summary>
    public string Email { get; private set; }

    public OperatorRole Role { get; private set; }

    /// <summary>An inactive operator keeps its history but can no longer be assigned.</summary>
    public bool Active { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Operator Create(OrganizationId organizationId, string name, string email, OperatorRole role, bool active, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        now = Timestamp.Normalize(now);
        return new Operator
        {
            Id = OperatorId.New(),
            OrganizationId = organizationId,
            Name = name.Trim(),
            Email = NormalizeEmail(email),
            Role = role,
            Active = active,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// Applies the given changes (null leaves a field as it is); returns false (and leaves
    /// UpdatedAt alone) when nothing differs. The email is the operator's identity in the
    /// organization and is not changed here.
    /// </summary>
    public bool Update(string? name, OperatorRole? role, bool? active, DateTimeOffset now)
    {
        if (name is not null && string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Name must not be blank.", nameof(name));
        if (name is not null && name.Trim().Length > NameMaxLength) throw new ArgumentException($"Name is longer than {NameMaxLength}.", nameof(name));
        var changed = false;
        if (name is not null && name.Trim() != Name) { Name = name.Trim(); changed = true; }
        if (role is { } r && r != Role) { Role = r; changed = true; }
        if (active is { } a && a != Active) { Active = a; changed = true; }
        if (changed) UpdatedAt = Timestamp.Normalize(now);
        return changed;
    }
}
