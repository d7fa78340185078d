using Convor.Domain.Common;

namespace Convor.Domain.Organizations;

/// <summary>A customer of Convor: the tenant every other record belongs to.</summary>
public sealed class Organization
{
    public const int NameMaxLength = 200;

    private Organization() { Name = string.Empty; }

    public OrganizationId Id { get; private set; }
    public string Name { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Organization Create(string name, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > NameMaxLength) throw new ArgumentException($"Name is longer than {NameMaxLength}.", nameof(name));
        return new Organization { Id = OrganizationId.New(), Name = name.Trim(), CreatedAt = Timestamp.Normalize(now) };
    }
}
