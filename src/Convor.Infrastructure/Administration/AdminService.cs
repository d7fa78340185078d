using Convor.Application.Common.Abstractions;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Convor.Domain.Organizations;
using Convor.Infrastructure.ApiKeys;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Administration;

public sealed record CreatedOrganization(Guid OrgId, string ApiKey);

public sealed record CreatedApiKey(Guid KeyId, string ApiKey);

/// <summary>The operator-facing tasks behind the admin command line: organizations and keys.</summary>
public sealed class AdminService(ConvorDbContext db, TimeProvider clock, IApiKeyRevocations revocations)
{
    public async Task<CreatedOrganization> CreateOrganizationAsync(string name, CancellationToken cancellationToken)
    {
        var organization = Organization.Create(name, clock.GetUtcNow());
        db.Organizations.Add(organization);
        var (key, secret) = NewKey(organization.Id, ApiKeyScopes.All);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedOrganization(organization.Id.Value, secret);
    }

    /// <exception cref="KeyNotFoundException">no such organization</exception>
    public async Task<CreatedApiKey> CreateKeyAsync(Guid organizationId, IReadOnlyCollection<string>? scopes, CancellationToken cancellationToken)
    {
        var orgId = new OrganizationId(organizationId);
        if (!await db.Organizations.AnyAsync(o => o.Id == orgId, cancellationToken))
            throw new KeyNotFoundException($"Organization {organizationId} does not exist.");
        var (key, secret) = NewKey(orgId, scopes is { Count: > 0 } ? scopes : ApiKeyScopes.All);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key.Id.Value, secret);
    }

    /// <summary>Returns false when no such key exists. Revoking twice is harmless.</summary>
    public async Task<bool> RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken)
    {
        var id = new ApiKeyId(keyId);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null) return false;
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await revocations.PublishRevokedAsync(id, cancellationToken);
        return true;
    }

    private (ApiKey Key, string Secret) NewKey(OrganizationId organizationId, IEnumerable<string> scopes)
    {
        var secret = ApiKeySecret.Generate();
        return (ApiKey.Create(organizationId, ApiKeySecret.Hash(secret), scopes, clock.GetUtcNow()), secret);
    }
}
