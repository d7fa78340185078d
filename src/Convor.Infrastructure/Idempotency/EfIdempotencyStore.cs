using System.Text.Json;
using Convor.Application.Common.Idempotency;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Infrastructure.Idempotency;

/// <summary>
/// <see cref="IIdempotencyStore"/> on the Convor database. Each call uses its own short-lived
/// DbContext from a fresh scope, so its write commits at once and never joins (or waits for)
/// the command's unit of work.
/// </summary>
internal sealed class EfIdempotencyStore(IServiceScopeFactory scopes) : IIdempotencyStore
{
    public async Task<bool> TryClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        db.Set<IdempotencyRecord>().Add(new IdempotencyRecord
        {
            OrganizationId = claim.OrganizationId,
            Key = claim.Key,
            RequestFingerprint = claim.RequestFingerprint,
            Status = IdempotencyStatus.InProgress,
            AttemptId = claim.AttemptId,
            CreatedAt = claim.ClaimedAt,
            ExpiresAt = claim.ExpiresAt,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (UnitOfWork.IsUniqueViolation(exception))
        {
            return false;
        }
    }

    public async Task<IdempotencyEntry?> FindAsync(OrganizationId organizationId, string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var row = await db.Set<IdempotencyRecord>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Key == key, cancellationToken);
        if (row is null) return null;
        var response = row is { Status: IdempotencyStatus.Completed, ResponseStatus: { } status }
            ? new RecordedResponse(status, DeserializeHeaders(row.ResponseHeaders), row.ResponseBody ?? string.Empty)
            : null;
        return new IdempotencyEntry(row.RequestFingerprint, row.Status, row.AttemptId, row.CreatedAt, row.ExpiresAt, response);
    }

    public async Task<bool> TryReclaimAsync(Guid expectedAttemptId, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        // One conditional UPDATE: the database decides which of several takers wins.
        var updated = await db.Set<IdempotencyRecord>()
            .Where(r => r.OrganizationId == claim.OrganizationId && r.Key == claim.Key && r.AttemptId == expectedAttemptId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.RequestFingerprint, claim.RequestFingerprint)
                .SetProperty(r => r.Status, IdempotencyStatus.InProgress)
                .SetProperty(r => r.AttemptId, claim.AttemptId)
                .SetProperty(r => r.ResponseStatus, (int?)null)
                .SetProperty(r => r.ResponseHeaders, (string?)null)
                .SetProperty(r => r.ResponseBody, (string?)null)
                .SetProperty(r => r.CreatedAt, claim.ClaimedAt)
                .SetProperty(r => r.ExpiresAt, claim.ExpiresAt), cancellationToken);
        return updated == 1;
    }

    public async Task CompleteAsync(OrganizationId organizationId, string key, Guid attemptId, RecordedResponse response, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var headers = JsonSerializer.Serialize(response.Headers);
        await db.Set<IdempotencyRecord>()
            .Where(r => r.OrganizationId == organizationId && r.Key == key && r.AttemptId == attemptId && r.Status == IdempotencyStatus.InProgress)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, IdempotencyStatus.Completed)
                .SetProperty(r => r.ResponseStatus, response.Status)
                .SetProperty(r => r.ResponseHeaders, headers)
                .SetProperty(r => r.ResponseBody, response.Body), cancellationToken);
    }

    public async Task ReleaseAsync(OrganizationId organizationId, string key, Guid attemptId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        await db.Set<IdempotencyRecord>()
            .Where(r => r.OrganizationId == organizationId && r.Key == key && r.AttemptId == attemptId && r.Status == IdempotencyStatus.InProgress)
            .ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        return await db.Set<IdempotencyRecord>()
            .Where(r => r.ExpiresAt <= now)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static Dictionary<string, string> DeserializeHeaders(string? json) =>
        string.IsNullOrEmpty(json)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();
}
