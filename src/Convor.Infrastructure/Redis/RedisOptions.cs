using System.ComponentModel.DataAnnotations;

namespace Convor.Infrastructure.Redis;

/// <summary>
/// Configuration section <c>Redis</c>. Optional: without <see cref="Configuration"/> every
/// instance limits on its own and revocation bites by the key cache bound alone.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>; empty means no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Put before every key and channel name, so several deployments (or test runs) can share one server.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9:._-]{1,64}$")]
    public string KeyPrefix { get; set; } = "convor:";

    /// <summary>
    /// Longest a request waits for Redis before it is limited in this process instead. Small on
    /// purpose: a hung Redis must not make every request that slow.
    /// </summary>
    [Range(50, 10_000)]
    public int OperationTimeoutMilliseconds { get; set; } = 500;

    /// <summary>Pause between reconnection attempts while Redis is away.</summary>
    [Range(100, 60_000)]
    public int ReconnectIntervalMilliseconds { get; set; } = 1000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}
