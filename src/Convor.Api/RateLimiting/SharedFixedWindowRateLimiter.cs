using System.Threading.RateLimiting;
using Convor.Application.Common.Abstractions;

namespace Convor.Api.RateLimiting;

/// <summary>
/// One partition's fixed window, counted in the store every instance shares
/// (<see cref="ISharedRateLimitCounter"/>), so the limit holds for the cluster. While the store
/// cannot be reached the partition is limited by this process's own fixed window instead:
/// requests keep being served, with up to one budget per instance (ADR 1000).
/// </summary>
internal sealed class SharedFixedWindowRateLimiter(
    string partition,
    FixedWindowRateLimiterOptions window,
    ISharedRateLimitCounter counter) : ReplenishingRateLimiter
{
    // Replenished by the partitioned limiter's one timer (through TryReplenish), not a timer each.
    private readonly FixedWindowRateLimiter local = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = window.PermitLimit,
        Window = window.Window,
        QueueLimit = window.QueueLimit,
        AutoReplenishment = false,
    });
    private long sharedRemaining = window.PermitLimit;
    private bool lastWasLocal;

    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override bool IsAutoReplenishing => false;

    public override TimeSpan ReplenishmentPeriod => local.ReplenishmentPeriod;

    public override bool TryReplenish() => local.TryReplenish();

    /// <summary>What the last answer here left: the shared window's, or the local one while falling back.</summary>
    public override RateLimiterStatistics? GetStatistics() => Volatile.Read(ref lastWasLocal)
        ? local.GetStatistics()
        : new RateLimiterStatistics { CurrentAvailablePermits = Interlocked.Read(ref sharedRemaining) };

    // The shared count needs a round trip, so the synchronous attempt never grants: ASP.NET
    // Core's middleware tries it first and, refused, awaits AcquireAsync, which decides.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => SharedLease.Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var shared = await counter.CountAsync(partition, window.Window, cancellationToken);
        if (shared is not { } count)
        {
            Volatile.Write(ref lastWasLocal, true);
            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        Volatile.Write(ref lastWasLocal, false);
        Interlocked.Exchange(ref sharedRemaining, Math.Max(0, window.PermitLimit - count.Count));
        return count.Count <= window.PermitLimit ? SharedLease.Acquired : SharedLease.Rejected(count.ResetsIn);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) local.Dispose();
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await local.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private sealed class SharedLease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly SharedLease Acquired = new(true, null);

        public static readonly SharedLease Undecided = new(false, null);

        public static SharedLease Rejected(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
