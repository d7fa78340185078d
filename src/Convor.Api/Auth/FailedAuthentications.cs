using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Caching.Memory;
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
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly FailedAuthenticationOptions _options;
    private readonly TimeProvider _clock;
    private readonly MemoryCache _windows;
    private readonly Lock _overflowLock = new();
    private Window _overflow;

    public FailedAuthentications(IOptions<FailedAuthenticationOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
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

    public void RecordFailure(HttpContext context)
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
        Interlocked.Increment(ref window.Failures);
    }

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
    }
}
