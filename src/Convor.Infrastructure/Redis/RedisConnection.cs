using Convor.Application.Common.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Convor.Infrastructure.Redis;

/// <summary>
/// The one connection of this process to Redis, and whether it can be used right now. It never
/// makes a request wait for a connection: while Redis is away callers get null and fall back
/// (limits per instance, revocation by the cache bound), the client reconnects in the
/// background, and the outage is logged once as a warning and shown by the
/// <c>convor.redis.fallback</c> gauge until it ends.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly RedisOptions options;
    private readonly ConvorMetrics metrics;
    private readonly ILogger<RedisConnection> logger;
    private readonly Lazy<Task<ConnectionMultiplexer>> multiplexer;
    private int fallingBack;

    public RedisConnection(IOptions<RedisOptions> options, ConvorMetrics metrics, ILogger<RedisConnection> logger)
    {
        this.options = options.Value;
        this.metrics = metrics;
        this.logger = logger;
        multiplexer = new Lazy<Task<ConnectionMultiplexer>>(ConnectAsync);
    }

    /// <summary>Raised when Redis is usable again after an outage (or after a start without it).</summary>
    public event Action? Restored;

    public string KeyPrefix => options.KeyPrefix;

    public bool IsFallingBack => Volatile.Read(ref fallingBack) == 1;

    /// <summary>The connection, made on first use; it may be disconnected (it reconnects by itself).</summary>
    public Task<ConnectionMultiplexer> GetAsync() => multiplexer.Value;

    /// <summary>The database when connected right now; null (and the outage noted) otherwise, without waiting.</summary>
    public IDatabase? DatabaseIfConnected()
    {
        var connecting = multiplexer.Value;
        if (!connecting.IsCompletedSuccessfully) return null;
        if (!connecting.Result.IsConnected)
        {
            ReportUnavailable(null);
            return null;
        }
        return connecting.Result.GetDatabase();
    }

    /// <summary>An operation failed or the link dropped: from now on callers fall back until it is back.</summary>
    public void ReportUnavailable(Exception? exception)
    {
        if (Interlocked.Exchange(ref fallingBack, 1) == 1) return;
        metrics.RedisFallbackChanged(true);
        LogUnavailable(logger, exception?.GetType().Name ?? "not connected");
    }

    /// <summary>An operation succeeded: an outage, if there was one, is over.</summary>
    public void ReportAvailable()
    {
        if (Volatile.Read(ref fallingBack) == 0 || Interlocked.Exchange(ref fallingBack, 0) == 0) return;
        metrics.RedisFallbackChanged(false);
        LogRestored(logger);
        Restored?.Invoke();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        // Start and keep running without Redis; never hold a request longer than the timeout.
        configuration.AbortOnConnectFail = false;
        configuration.AsyncTimeout = options.OperationTimeoutMilliseconds;
        configuration.SyncTimeout = options.OperationTimeoutMilliseconds;
        configuration.ReconnectRetryPolicy = new LinearRetry(options.ReconnectIntervalMilliseconds);
        configuration.ClientName ??= "convor";

        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        connection.ConnectionFailed += (_, args) => ReportUnavailable(args.Exception);
        connection.ConnectionRestored += (_, _) =>
        {
            if (connection.IsConnected) ReportAvailable();
        };
        if (!connection.IsConnected) ReportUnavailable(null);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (!multiplexer.IsValueCreated) return;
        try
        {
            await (await multiplexer.Value).DisposeAsync();
        }
        catch (RedisException)
        {
            // Closing a connection that never worked.
        }
    }

    // The configuration string may hold a password: only the failure's type is logged.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable ({Reason}): rate limits are per instance and revocation waits for the key cache bound until it is back")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is reachable again: rate limits are shared and revocations broadcast")]
    private static partial void LogRestored(ILogger logger);
}
