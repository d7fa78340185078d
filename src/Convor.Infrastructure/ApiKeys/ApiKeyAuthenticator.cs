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
    /// How long a key lookup (hit or miss) is reused. Bounds how late a revocation done by
    /// another process is seen; keep it small.
    /// </summary>
    public int KeyCacheSeconds { get; set; } = 5;
}

/// <summary>
/// Looks a presented secret up by its SHA-256 hash. Results are cached for a few seconds so
/// most requests cost no key query; revocation still bites within that window.
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

        if (options.Value.KeyCacheSeconds > 0)
        {
            cache.Set(cacheKey, new CacheEntry(key), new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds),
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
internal sealed class ApiKeyCache : IDisposable
{
    public const int MaxEntries = 10_000;

    public MemoryCache Entries { get; } = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public void Dispose() => Entries.Dispose();
}
