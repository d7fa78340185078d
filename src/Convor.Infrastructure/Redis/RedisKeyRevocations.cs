using System.Globalization;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Infrastructure.ApiKeys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Convor.Infrastructure.Redis;

/// <summary>
/// Revocations over Redis pub/sub: the process that revokes a key (the admin command line)
/// drops it from its own cache and publishes its id after the commit; every API instance is
/// subscribed and drops the key from its cache on receipt. Only the key's id travels, never
/// its secret or hash.
/// </summary>
internal sealed partial class RedisKeyRevocations(
    RedisConnection connection,
    ApiKeyCache keyCache,
    ILogger<RedisKeyRevocations> logger) : IApiKeyRevocations, IHostedService
{
    private readonly RedisChannel channel = RedisChannel.Literal(connection.KeyPrefix + "apikeys:revoked");
    private int subscribed;

    public async Task PublishRevokedAsync(ApiKeyId keyId, CancellationToken cancellationToken)
    {
        keyCache.Forget(keyId);
        try
        {
            var redis = await connection.GetAsync();
            await redis.GetSubscriber().PublishAsync(channel, keyId.Value.ToString("D"));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The revocation is committed; instances will see it when their cached lookup expires.
            LogNotBroadcast(logger, exception.GetType().Name);
        }
    }

    /// <summary>Subscribes at start (and again after an outage that began before the first subscription).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        connection.Restored += OnRestored;
        await connection.GetAsync();
        await SubscribeAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        connection.Restored -= OnRestored;
        return Task.CompletedTask;
    }

    private void OnRestored()
    {
        // Revocations published while this instance could not hear them are lost: forget every
        // cached lookup once, so none of them waits for the cache bound.
        keyCache.ForgetAll();
        _ = SubscribeAsync();
    }

    private async Task SubscribeAsync()
    {
        if (Volatile.Read(ref subscribed) == 1) return;
        try
        {
            var redis = await connection.GetAsync();
            // The client re-subscribes by itself after a reconnect once this has succeeded.
            await redis.GetSubscriber().SubscribeAsync(channel, (_, message) => OnRevoked(message));
            Volatile.Write(ref subscribed, 1);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            connection.ReportUnavailable(exception);
        }
    }

    private void OnRevoked(RedisValue message)
    {
        if (Guid.TryParse((string?)message, CultureInfo.InvariantCulture, out var id)) keyCache.Forget(new ApiKeyId(id));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The revocation could not be broadcast over Redis ({Reason}); instances drop the key when their cached lookup expires")]
    private static partial void LogNotBroadcast(ILogger logger, string reason);
}
