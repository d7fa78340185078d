using System.Security.Cryptography;
using System.Text;
using Convor.Application.Common.Abstractions;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.ApiKeys;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// How long a key lookup (hit or miss) is reused, in milliseconds. It bounds how late a
    /// revocation done by another process (the admin command line, another instance) is
    /// seen: the contract allows one second, so the default is half of that. 0 turns the
    /// cache off; above 1000 the contract's bound no longer holds (tests use that to keep
    /// keys valid while the database is down).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3_600_000)]
    public int KeyCacheMilliseconds { get; set; } = 500;
}

/// <summary>
/// Looks a presented secret up by its SHA-256 hash. Results are cached for half a second so
/// that a busy key costs at most two key queries a second per instance; revocation still
/// bites within that window (at once in the process that revoked, see <see cref="ApiKeyCache"/>).
/// </summary>
internal sealed class ApiKeyAuthenticator(ConvorDbContext db, ApiKeyCache keyCache, IOptions<AuthOptions> options) : IApiKeyAuthenticator
{
    private IMemoryCache cache => keyCache.Entries;

    private sealed record CacheEntry(AuthenticatedKey? Key);

    public async ValueTask<AuthenticatedKey?> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsWellFormed(presentedSecret)) return null;
        var hash = ApiKeySecret.Hash(presentedSecret);
        var cacheKey = "apikey:" + hash;
        if (cache.TryGetValue(cacheKey, out CacheEntry? cached)) return cached!.Key;

        var row = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash)
            .Select(k => new { k.Id, k.OrganizationId, k.Scopes, k.RevokedAt, k.Hash })
            .FirstOrDefaultAsync(cancellationToken);

        AuthenticatedKey? key = null;
        // The index found the row; compare again in constant time so the answer never depends
        // on how much of a hash matched.
        if (row is not null && row.RevokedAt is null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.Hash), Encoding.ASCII.GetBytes(hash)))
        {
            key = new AuthenticatedKey(row.Id, row.OrganizationId, row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        if (options.Value.KeyCacheMilliseconds > 0)
        {
            cache.Set(cacheKey, new CacheEntry(key), new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(options.Value.KeyCacheMilliseconds),
                Size = 1,
            });
        }
        return key;
    }
}

/// <summary>
/// The key lookups of this process, in a cache of their own with a size limit: misses are
/// cached too (so a flood of made-up keys costs one query each per window), and a bounded
/// cache means such a flood cannot grow memory without end.
/// </summary>
internal sealed class ApiKeyCache : IApiKeyRevocations, IDisposable
{
    public const int MaxEntries = 10_000;

    public MemoryCache Entries { get; } = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    /// <summary>
    /// The in-process delivery of a revocation: the cache is keyed by hash, not by key id, and
    /// revocations are rare, so the whole cache is dropped; it refills at one query per key.
    /// </summary>
    public Task PublishRevokedAsync(Domain.Common.ApiKeyId keyId, CancellationToken cancellationToken)
    {
        Entries.Compact(1.0);
        return Task.CompletedTask;
    }

    public void Dispose() => Entries.Dispose();
}
