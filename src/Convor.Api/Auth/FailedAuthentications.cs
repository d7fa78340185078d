using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Caching.Memory;
using Convor.Application.Common.Abstractions;
using Microsoft.Extensions.Options;

namespace Convor.Api.Auth;

/// <summary>Configuration section <c>Auth:FailedAttempts</c>.</summary>
public sealed class FailedAuthenticationOptions
{
    public const string Section = "Auth:FailedAttempts";

    /// <summary>Failed authentications one client address may make per window before it is answered 429.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 30;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Client addresses tracked at once; beyond that, new addresses share one window.</summary>
    [Range(1, 10_000_000)]
    public int MaxClients { get; set; } = 10_000;
}

/// <summary>
/// Counts failed authentications per client address (IPv6 by its /64, which one host
/// usually owns whole) in fixed windows, so that guessing keys is throttled before any
/// guess costs a hash and a database query. The store is bounded and expiring: each window
/// is a cache entry that lives until its window ends, at most <see cref="FailedAuthenticationOptions.MaxClients"/>
/// of them; when full, new addresses count in one shared overflow window, so a flood from
/// random addresses is still limited as a whole without growing memory.
/// <para>
/// With a shared counter (Redis), each failure is also counted in the client's window there,
/// and the local window takes the cluster's count: a client that used up its failures on one
/// instance is refused by another after its first failure there, and the guesses a client gets
/// stay within the limit plus one per other instance. When the shared store is away, the
/// local count alone limits, as without Redis.
/// </para>
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly FailedAuthenticationOptions _options;
    private readonly TimeProvider _clock;
    private readonly MemoryCache _windows;
    private readonly Lock _overflowLock = new();
    private readonly ISharedRateLimitCounter? _shared;
    private Window _overflow;

    public FailedAuthentications(IOptions<FailedAuthenticationOptions> options, TimeProvider clock, ISharedRateLimitCounter? shared = null)
    {
        _options = options.Value;
        _clock = clock;
        _shared = shared;
        _windows = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.MaxClients });
        _overflow = new Window(DateTimeOffset.MinValue);
    }

    /// <summary>Windows held now (for tests of the bound).</summary>
    internal int TrackedClients => _windows.Count;

    /// <summary>True when the client used up its failures; <paramref name="retryAfter"/> says until when.</summary>
    public bool IsBlocked(HttpContext context, out TimeSpan retryAfter)
    {
        var window = Find(ClientOf(context));
        var now = _clock.GetUtcNow();
        if (window is not null && window.Ends > now && Volatile.Read(ref window.Failures) >= _options.PermitLimit)
        {
            retryAfter = window.Ends - now;
            return true;
        }
        retryAfter = TimeSpan.Zero;
        return false;
    }

    public async ValueTask RecordFailureAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var client = ClientOf(context);
        var now = _clock.GetUtcNow();
        var window = Find(client);
        if (window is null || window.Ends <= now)
        {
            window = new Window(now + TimeSpan.FromSeconds(_options.WindowSeconds));
            _windows.Set(client, window, new MemoryCacheEntryOptions { AbsoluteExpiration = window.Ends, Size = 1 });
            if (!_windows.TryGetValue(client, out _)) window = Overflow(now); // full: count in the shared window
        }
        var local = Interlocked.Increment(ref window.Failures);
        if (_shared is null) return;
        var cluster = await _shared.CountAsync(SharedPartitionPrefix + client, TimeSpan.FromSeconds(_options.WindowSeconds), cancellationToken);
        if (cluster is { Count: var count } && count > local) window.RaiseTo((int)Math.Min(count, int.MaxValue));
    }

    /// <summary>The shared counter's partition of a client's failures (beside the per-key partitions).</summary>
    internal const string SharedPartitionPrefix = "failed-auth:";

    private Window? Find(string client)
    {
        if (_windows.TryGetValue(client, out Window? window)) return window;
        lock (_overflowLock) return _overflow.Ends > _clock.GetUtcNow() && _windows.Count >= _options.MaxClients ? _overflow : null;
    }

    private Window Overflow(DateTimeOffset now)
    {
        lock (_overflowLock)
        {
            if (_overflow.Ends <= now) _overflow = new Window(now + TimeSpan.FromSeconds(_options.WindowSeconds));
            return _overflow;
        }
    }

    /// <summary>The address the failures are counted for: IPv4 as is, IPv6 by its /64 prefix.</summary>
    internal static string ClientOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => _windows.Dispose();

    private sealed class Window(DateTimeOffset ends)
    {
        public readonly DateTimeOffset Ends = ends;
        public int Failures;

        /// <summary>Takes a higher count seen elsewhere (the cluster's), never lowers it.</summary>
        public void RaiseTo(int failures)
        {
            var seen = Volatile.Read(ref Failures);
            while (seen < failures)
            {
                var previous = Interlocked.CompareExchange(ref Failures, failures, seen);
                if (previous == seen) return;
                seen = previous;
            }
        }
    }
}
