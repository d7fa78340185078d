using Convor.Domain.Common;

namespace Convor.Domain.ApiKeys;

/// <summary>The six permissions a key can carry.</summary>
public static class ApiKeyScopes
{
    public const string ConversationsRead = "conversations:read";
    public const string ConversationsWrite = "conversations:write";
    public const string OperatorsRead = "operators:read";
    public const string OperatorsWrite = "operators:write";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";

    public static readonly IReadOnlyList<string> All = [ConversationsRead, ConversationsWrite, OperatorsRead, OperatorsWrite, WebhooksRead, WebhooksWrite];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}

/// <summary>
/// A credential of one organization. Only a hash of the secret is kept: the secret itself
/// is shown once, when the key is created, and cannot be recovered.
/// </summary>
public sealed class ApiKey
{
    private ApiKey() { Hash = string.Empty; Scopes = string.Empty; }

    public ApiKeyId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the secret.</summary>
    public string Hash { get; private set; }

    /// <summary>Space-separated scope names.</summary>
    public string Scopes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static ApiKey Create(OrganizationId organizationId, string hash, IEnumerable<string> scopes, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        var list = scopes.Distinct(StringComparer.Ordinal).ToList();
        var unknown = list.Where(s => !ApiKeyScopes.IsKnown(s)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown scope(s): {string.Join(", ", unknown)}.", nameof(scopes));
        if (list.Count == 0) throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        return new ApiKey
        {
            Id = ApiKeyId.New(),
            OrganizationId = organizationId,
            Hash = hash,
            Scopes = string.Join(' ', ApiKeyScopes.All.Where(list.Contains)),
            CreatedAt = Timestamp.Normalize(now),
        };
    }

    /// <summary>Revoking twice keeps the first revocation time.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= Timestamp.Normalize(now);
}
