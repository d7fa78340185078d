namespace Convor.Domain.Webhooks;

/// <summary>
/// The contract's delivery rules: when a failed attempt is tried again, when a delivery gives
/// up, and when an endpoint that only fails is switched off.
/// </summary>
public static class WebhookDeliveryPolicy
{
    /// <summary>Waits before the 2nd, 3rd, … 10th attempt: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h.</summary>
    public static readonly IReadOnlyList<TimeSpan> ContractRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    /// <summary>An endpoint whose deliveries have only failed for this long is disabled.</summary>
    public static readonly TimeSpan DisableAfterFailingFor = TimeSpan.FromDays(5);

    /// <summary>Jitter is ±this fraction of the delay, so that retries of many events do not arrive together.</summary>
    public const double JitterFraction = 0.1;

    /// <summary>
    /// When to try again after the <paramref name="attemptsMade"/>-th failed attempt (counted
    /// since the delivery was last queued), or null when it has had its last attempt.
    /// <paramref name="retryAfter"/> (from 429/503) is honoured as a lower bound;
    /// <paramref name="unitRandom"/> is in [0, 1).
    /// </summary>
    public static DateTimeOffset? NextAttemptAt(
        IReadOnlyList<TimeSpan> delays, int attemptsMade, DateTimeOffset now, TimeSpan? retryAfter, double unitRandom)
    {
        ArgumentNullException.ThrowIfNull(delays);
        if (attemptsMade < 1 || attemptsMade > delays.Count) return null;
        var delay = delays[attemptsMade - 1];
        var jittered = delay * (1 + JitterFraction * (2 * unitRandom - 1));
        if (retryAfter is { } wait && wait > jittered) jittered = wait;
        return now + jittered;
    }

    /// <summary>True when a failure at <paramref name="now"/> ends an unbroken run of failures that began at <paramref name="failingSince"/> long enough ago.</summary>
    public static bool ShouldDisable(DateTimeOffset? failingSince, DateTimeOffset now) =>
        failingSince is { } since && now - since >= DisableAfterFailingFor;
}

/// <summary>Where one event's delivery to one endpoint stands.</summary>
public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
}
