using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
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
    public async ValueTask<AuthenticatedKey?> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsWellFormed(presentedSecret)) return null;
        var hash = ApiKeySecret.Hash(presentedSecret);
        if (keyCache.TryGet(hash, out var cached)) return cached;

        // Taken before the query: a revocation heard while it runs keeps its answer out of the cache.
        var revocationsSeen = keyCache.Revocations;
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
            keyCache.Store(hash, key, TimeSpan.FromMilliseconds(options.Value.KeyCacheMilliseconds), revocationsSeen);
        return key;
    }
}

/// <summary>
/// The key lookups of this process, in a cache of their own with a size limit: misses are
/// cached too (so a flood of made-up keys costs one query each per window), and a bounded
/// cache means such a flood cannot grow memory without end. A revocation heard from another
/// process (<see cref="Forget"/>) drops the key at once instead of when its entry expires.
/// </summary>
internal sealed class ApiKeyCache : IApiKeyRevocations, IDisposable
{
    public const int MaxEntries = 10_000;

    private const string Prefix = "apikey:";
    private readonly ConcurrentDictionary<ApiKeyId, string> entryOfKey = new();
    private long revocations;

    private sealed record CacheEntry(AuthenticatedKey? Key);

    private readonly MemoryCache entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    /// <summary>Counts revocations heard so far; a lookup that saw another count must not be cached.</summary>
    public long Revocations => Interlocked.Read(ref revocations);

    public bool TryGet(string hash, out AuthenticatedKey? key)
    {
        var found = entries.TryGetValue(Prefix + hash, out CacheEntry? entry);
        key = entry?.Key;
        return found;
    }

    public void Store(string hash, AuthenticatedKey? key, TimeSpan lifetime, long revocationsSeen)
    {
        var cacheKey = Prefix + hash;
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 };
        if (key is not null)
        {
            entryOfKey[key.KeyId] = cacheKey;
            options.RegisterPostEvictionCallback((_, _, reason, _) =>
            {
                if (reason != EvictionReason.Replaced) entryOfKey.TryRemove(new KeyValuePair<ApiKeyId, string>(key.KeyId, cacheKey));
            });
        }
        entries.Set(cacheKey, new CacheEntry(key), options);
        // Set first, then compare: a Forget that raced with this lookup either sees the entry
        // (and removes it) or has already raised the count (and this removes it).
        if (Revocations != revocationsSeen) entries.Remove(cacheKey);
    }

    /// <summary>The in-process delivery of a revocation (without Redis): the key is dropped at once.</summary>
    public Task PublishRevokedAsync(ApiKeyId keyId, CancellationToken cancellationToken)
    {
        Forget(keyId);
        return Task.CompletedTask;
    }

    /// <summary>Drops the cached lookup of one key, revoked here or elsewhere.</summary>
    public void Forget(ApiKeyId keyId)
    {
        Interlocked.Increment(ref revocations);
        if (entryOfKey.TryRemove(keyId, out var cacheKey)) entries.Remove(cacheKey);
    }

    /// <summary>Drops every cached lookup (revocations may have been missed).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref revocations);
        entries.Compact(1.0);
        entryOfKey.Clear();
    }

    public void Dispose() => entries.Dispose();
}
