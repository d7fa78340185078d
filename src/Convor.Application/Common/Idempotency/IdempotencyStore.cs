using Convor.Domain.Common;

namespace Convor.Application.Common.Idempotency;

/// <summary>Whether the request that claimed a key is still running or has its answer recorded.</summary>
public enum IdempotencyStatus
{
    InProgress,
    Completed,
}

/// <summary>
/// The answer recorded for a key: what a retry gets back. <see cref="Headers"/> holds only
/// the headers worth replaying (ETag, Location, Content-Type).
/// </summary>
public sealed record RecordedResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A request's claim on (organization, key): who holds it, since when, until when.</summary>
public sealed record IdempotencyClaim(
    OrganizationId OrganizationId,
    string Key,
    string RequestFingerprint,
    Guid AttemptId,
    DateTimeOffset ClaimedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Longest key accepted (the contract says 1-255 printable characters).</summary>
    public const int KeyMaxLength = 255;
}

/// <summary>What the store holds for a key.</summary>
public sealed record IdempotencyEntry(
    string RequestFingerprint,
    IdempotencyStatus Status,
    Guid AttemptId,
    DateTimeOffset ClaimedAt,
    DateTimeOffset ExpiresAt,
    RecordedResponse? Response);

/// <summary>
/// Idempotency keys, one row per (organization, key) under a unique index. Every method
/// commits on its own, apart from the command's unit of work: a claim must be visible to a
/// concurrent duplicate before the command even starts, and a recorded answer must survive
/// whatever the command's transaction did.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Inserts an in-progress row; false when the key already has one (unique index).</summary>
    Task<bool> TryClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken);

    Task<IdempotencyEntry?> FindAsync(OrganizationId organizationId, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an expired or abandoned row with <paramref name="claim"/>, but only while the row
    /// still belongs to <paramref name="expectedAttemptId"/>: of two requests taking over the same
    /// row, exactly one wins.
    /// </summary>
    Task<bool> TryReclaimAsync(Guid expectedAttemptId, IdempotencyClaim claim, CancellationToken cancellationToken);

    /// <summary>Records the answer, if the row is still this attempt's (it may have been taken over).</summary>
    Task CompleteAsync(OrganizationId organizationId, string key, Guid attemptId, RecordedResponse response, CancellationToken cancellationToken);

    /// <summary>Deletes this attempt's in-progress row, so that a retry runs the command.</summary>
    Task ReleaseAsync(OrganizationId organizationId, string key, Guid attemptId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> rows that expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}
