using Convor.Domain.Common;

namespace Convor.Application.Common.Abstractions;

/// <summary>How far a shared fixed window has counted, and when it starts over.</summary>
public readonly record struct SharedWindowCount(long Count, TimeSpan ResetsIn);

/// <summary>
/// A fixed-window request counter that every instance of the API shares (Redis), so a limit
/// holds for the whole cluster. Registered only when a shared store is configured.
/// </summary>
public interface ISharedRateLimitCounter
{
    /// <summary>
    /// Counts one request in <paramref name="partition"/>'s current window (the window starts
    /// with its first request and lasts <paramref name="window"/>). Null when the shared store
    /// cannot be reached now: the caller then limits in this process alone.
    /// </summary>
    ValueTask<SharedWindowCount?> CountAsync(string partition, TimeSpan window, CancellationToken cancellationToken);
}

/// <summary>
/// Tells every instance of the API that a key was revoked, so each drops it from its key cache
/// at once instead of when the cached lookup expires. Without a shared store it does nothing:
/// the short cache bound is then what limits how late a revocation bites.
/// </summary>
public interface IApiKeyRevocationBroadcast
{
    /// <summary>Call after the revocation is committed. Never throws for an unreachable store.</summary>
    Task AnnounceAsync(ApiKeyId keyId, CancellationToken cancellationToken);
}
