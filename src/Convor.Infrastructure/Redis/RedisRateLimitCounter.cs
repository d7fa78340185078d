using Convor.Application.Common.Abstractions;
using StackExchange.Redis;

namespace Convor.Infrastructure.Redis;

/// <summary>
/// A fixed window per partition in Redis, counted by one Lua script so that the increment and
/// the window's expiry are one atomic step on the server (ADR 1000): every instance sees the
/// same count, so N permits per window are N for the whole cluster.
/// </summary>
internal sealed class RedisRateLimitCounter(RedisConnection connection) : ISharedRateLimitCounter
{
    // KEYS[1] the window's counter; ARGV[1] the window in ms. The first request of a window
    // sets its expiry; a counter left without one (never expected) gets it back.
    private const string CountScript = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    private readonly string keyPrefix = connection.KeyPrefix + "ratelimit:";

    public async ValueTask<SharedWindowCount?> CountAsync(string partition, TimeSpan window, CancellationToken cancellationToken)
    {
        if (connection.DatabaseIfConnected() is not { } database) return null;
        try
        {
            var result = (RedisResult[]?)await database.ScriptEvaluateAsync(
                CountScript, [new RedisKey(keyPrefix + partition)], [(long)window.TotalMilliseconds]);
            connection.ReportAvailable();
            return new SharedWindowCount((long)result![0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            connection.ReportUnavailable(exception);
            return null;
        }
    }
}
