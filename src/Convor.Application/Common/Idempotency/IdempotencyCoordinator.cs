using System.ComponentModel.DataAnnotations;
using Convor.Domain.Common;

namespace Convor.Application.Common.Idempotency;

/// <summary>Configuration section <c>Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a key keeps its answer (the contract promises 24 hours).</summary>
    [Range(1, 24 * 30)]
    public int RetentionHours { get; set; } = 24;

    /// <summary>
    /// How long a claim may stay in progress before a retry may take it over. A request that
    /// crashed the process never releases its claim; without this the key would answer 409
    /// until it expires. It must be above the longest a command can run, or a take-over runs
    /// the command a second time while the first still works: unset, the host derives it from
    /// the database's retry count and command timeout, and refuses to start with a value that
    /// is not above that bound.
    /// </summary>
    [Range(5, 86_400)]
    public int? InProgressTimeoutSeconds { get; set; }

    /// <summary>Seconds between two purges of expired keys.</summary>
    [Range(1, 86400)]
    public int PurgeIntervalSeconds { get; set; } = 300;

    /// <summary>Rows deleted per statement while purging, so no purge holds long locks.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 1000;

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);
    public TimeSpan InProgressTimeout => TimeSpan.FromSeconds(InProgressTimeoutSeconds
        ?? throw new InvalidOperationException("Idempotency:InProgressTimeoutSeconds is derived when the host starts."));
}

public enum IdempotencyOutcome
{
    /// <summary>This request holds the key: run the command, then complete or release.</summary>
    Proceed,

    /// <summary>The same request already has an answer: send it again, run nothing.</summary>
    Replay,

    /// <summary>The same request is still running elsewhere: 409 <c>idempotency_in_progress</c>.</summary>
    InProgress,

    /// <summary>The key belongs to a different request: 422 <c>idempotency_key_reused</c>.</summary>
    KeyReused,
}

public sealed record IdempotencyDecision(IdempotencyOutcome Outcome, Guid AttemptId = default, RecordedResponse? Response = null)
{
    public static readonly IdempotencyDecision InProgress = new(IdempotencyOutcome.InProgress);
    public static readonly IdempotencyDecision KeyReused = new(IdempotencyOutcome.KeyReused);
}

/// <summary>
/// The rules of <c>Idempotency-Key</c>, apart from HTTP and from storage: who may run a
/// keyed request, when an earlier answer is replayed, and when a key is free again.
/// </summary>
public sealed class IdempotencyCoordinator(IIdempotencyStore store, TimeProvider clock, IdempotencyOptions options)
{
    /// <summary>
    /// Rounds of "look at the holder, else claim" before giving up with <see cref="IdempotencyOutcome.InProgress"/>;
    /// another round is needed only when the key changed hands between the look and the claim.
    /// </summary>
    internal const int MaxRounds = 3;

    public async Task<IdempotencyDecision> BeginAsync(OrganizationId organizationId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = clock.GetUtcNow();
            var claim = new IdempotencyClaim(organizationId, key, fingerprint, Guid.NewGuid(), now, now + options.Retention);

            // Look first: a retry (the common reuse of a key) then costs one read, not a failed
            // insert. The insert under the unique index still decides every race.
            var existing = await store.FindAsync(organizationId, key, cancellationToken);
            if (existing is null)
            {
                if (await store.TryClaimAsync(claim, cancellationToken)) return Proceed(claim);
                continue; // claimed by a concurrent duplicate since we looked: look again
            }

            // An expired key is free for any request, as if it had been purged already.
            if (existing.ExpiresAt <= now)
            {
                if (await store.TryReclaimAsync(existing.AttemptId, claim, cancellationToken)) return Proceed(claim);
                continue;
            }

            if (!string.Equals(existing.RequestFingerprint, fingerprint, StringComparison.Ordinal)) return IdempotencyDecision.KeyReused;

            if (existing.Status == IdempotencyStatus.Completed && existing.Response is not null)
                return new IdempotencyDecision(IdempotencyOutcome.Replay, existing.AttemptId, existing.Response);

            // The holder crashed or hangs: the same request may take its place.
            if (existing.ClaimedAt + options.InProgressTimeout <= now)
            {
                if (await store.TryReclaimAsync(existing.AttemptId, claim, cancellationToken)) return Proceed(claim);
                continue;
            }

            return IdempotencyDecision.InProgress;
        }
        return IdempotencyDecision.InProgress;
    }

    /// <summary>Records the final answer of an attempt that <see cref="IdempotencyOutcome.Proceed"/>ed.</summary>
    public Task CompleteAsync(OrganizationId organizationId, string key, Guid attemptId, RecordedResponse response, CancellationToken cancellationToken) =>
        store.CompleteAsync(organizationId, key, attemptId, response, cancellationToken);

    /// <summary>Frees the key of an attempt whose answer must not be replayed (a failure a retry may fix).</summary>
    public Task ReleaseAsync(OrganizationId organizationId, string key, Guid attemptId, CancellationToken cancellationToken) =>
        store.ReleaseAsync(organizationId, key, attemptId, cancellationToken);

    /// <summary>Deletes every expired key, batch by batch; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var total = 0;
        int deleted;
        do
        {
            deleted = await store.PurgeExpiredAsync(now, options.PurgeBatchSize, cancellationToken);
            total += deleted;
        }
        while (deleted >= options.PurgeBatchSize);
        return total;
    }

    private static IdempotencyDecision Proceed(IdempotencyClaim claim) => new(IdempotencyOutcome.Proceed, claim.AttemptId);
}
