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
