using System.Data.Common;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Domain.Webhooks;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.Webhooks;

/// <summary>A claimed delivery with what sending it needs: its endpoint's URL and protected secrets.</summary>
public sealed record ClaimedDelivery(
    WebhookDeliveryId Id,
    OrganizationId OrganizationId,
    WebhookEndpointId EndpointId,
    Guid EventId,
    string Payload,
    int Attempts,
    int AttemptsSinceQueued,
    Guid LeaseToken,
    DateTimeOffset LeaseUntil,
    string Url,
    string ProtectedSecret,
    string? PreviousProtectedSecret,
    DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>
/// The dispatcher's reads and writes of outbox rows. A claim stamps due rows with a lease
/// (token and expiry) in one statement, so that two instances never hold the same row:
/// PostgreSQL skips rows another claim has locked (<c>FOR UPDATE SKIP LOCKED</c>), SQL Server
/// reads past them (<c>UPDLOCK, READPAST</c>), SQLite serializes writers anyway. The lease
/// outlives the statement: the HTTP call happens outside any transaction, and an attempt is
/// recorded only by the holder of the lease (the token is a concurrency token).
/// </summary>
public sealed class WebhookDeliveryStore(ConvorDbContext db, TimeProvider clock, IOptions<WebhookOptions> options)
{
    /// <summary>How many deliveries are still pending, across organizations, and when the oldest was queued.</summary>
    public async Task<(long Pending, DateTimeOffset? OldestQueuedAt)> BacklogAsync(CancellationToken cancellationToken)
    {
        var pending = db.WebhookDeliveries.AsNoTracking().Where(d => d.Status == WebhookDeliveryStatus.Pending);
        var count = await pending.LongCountAsync(cancellationToken);
        if (count == 0) return (0, null);
        var oldest = await pending.OrderBy(d => d.CreatedAt).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return (count, oldest);
    }

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(IReadOnlyCollection<WebhookEndpointId> busyEndpoints, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = Guid.NewGuid();
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        if (db is SqliteConvorDbContext)
        {
            var busy = busyEndpoints.ToList();
            await db.WebhookDeliveries
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now)
                    && !busy.Contains(d.EndpointId)
                    && db.WebhookEndpoints.IgnoreQueryFilters().Any(e => e.Id == d.EndpointId && e.Active))
                .OrderBy(d => d.NextAttemptAt)
                .Take(limit)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeaseToken, token).SetProperty(d => d.LeaseUntil, until), cancellationToken);
        }
        else
        {
            await ClaimWithRowLocksAsync(busyEndpoints, limit, now, token, until, cancellationToken);
        }

        return await (
            from d in db.WebhookDeliveries.AsNoTracking()
            join e in db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking() on d.EndpointId equals e.Id
            where d.LeaseToken == token
            orderby d.NextAttemptAt, d.Id
            select new ClaimedDelivery(d.Id, d.OrganizationId, d.EndpointId, d.EventId, d.Payload, d.Attempts, d.AttemptsSinceQueued,
                token, until, e.Url, e.ProtectedSecret, e.PreviousProtectedSecret, e.PreviousSecretExpiresAt))
            .ToListAsync(cancellationToken);
    }

    private async Task ClaimWithRowLocksAsync(
        IReadOnlyCollection<WebhookEndpointId> busyEndpoints, int limit, DateTimeOffset now, Guid token, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var postgres = db is PostgresConvorDbContext;
        var busyNames = busyEndpoints.Select((_, i) => "@b" + i).ToList();
        var notBusy = busyNames.Count == 0 ? "" : $" AND d.{Q("EndpointId", postgres)} NOT IN ({string.Join(", ", busyNames)})";
        var due = $"d.{Q("Status", postgres)} = 'Pending' AND d.{Q("NextAttemptAt", postgres)} <= @now"
            + $" AND (d.{Q("LeaseUntil", postgres)} IS NULL OR d.{Q("LeaseUntil", postgres)} < @now)"
            + $" AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.{Q("Id", postgres)} = d.{Q("EndpointId", postgres)} AND e.{Q("Active", postgres)} = {(postgres ? "TRUE" : "1")})"
            + notBusy;
        var sql = postgres
            ? $"""
               UPDATE webhook_deliveries AS t SET "LeaseToken" = @token, "LeaseUntil" = @until
               FROM (SELECT d."Id" FROM webhook_deliveries AS d WHERE {due}
                     ORDER BY d."NextAttemptAt" LIMIT @limit FOR UPDATE OF d SKIP LOCKED) AS c
               WHERE t."Id" = c."Id"
               """
            : $"""
               WITH c AS (SELECT TOP (@limit) d.LeaseToken, d.LeaseUntil FROM webhook_deliveries AS d WITH (UPDLOCK, READPAST, ROWLOCK)
                          WHERE {due} ORDER BY d.NextAttemptAt)
               UPDATE c SET LeaseToken = @token, LeaseUntil = @until
               """;

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Add(command, "@now", now);
            Add(command, "@token", token);
            Add(command, "@until", until);
            Add(command, "@limit", limit);
            var i = 0;
            foreach (var endpoint in busyEndpoints) Add(command, busyNames[i++], endpoint.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private static string Q(string column, bool postgres) => postgres ? $"\"{column}\"" : column;

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Gives claimed deliveries back unsent, so that any instance can take them at once.</summary>
    public Task ReleaseAsync(IReadOnlyCollection<WebhookDeliveryId> ids, Guid token, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return db.WebhookDeliveries.Where(d => list.Contains(d.Id) && d.LeaseToken == token)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.LeaseToken, (Guid?)null).SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>
    /// Records the attempt and the delivery's new state in one transaction, and frees the lease;
    /// false (nothing written) when the lease was lost meanwhile.
    /// </summary>
    public async Task<bool> RecordAsync(ClaimedDelivery claimed, WebhookAttemptResult result, DateTimeOffset attemptedAt, double unitRandom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(result);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == claimed.Id, cancellationToken);
        if (delivery is null || delivery.LeaseToken != claimed.LeaseToken) return false;

        var number = claimed.Attempts + 1;
        delivery.Attempts = number;
        delivery.LastAttemptAt = attemptedAt;
        delivery.LastStatusCode = result.StatusCode;
        delivery.LastError = WebhookAttempt.Truncate(result.Error);
        delivery.LeaseToken = null;
        delivery.LeaseUntil = null;
        if (result.Succeeded)
        {
            delivery.Status = WebhookDeliveryStatus.Succeeded;
            delivery.NextAttemptAt = null;
        }
        else
        {
            delivery.AttemptsSinceQueued = claimed.AttemptsSinceQueued + 1;
            var next = result.Gone ? null
                : WebhookDeliveryPolicy.NextAttemptAt(options.Value.RetryDelays(), delivery.AttemptsSinceQueued, attemptedAt, result.RetryAfter, unitRandom);
            delivery.Status = next is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
            delivery.NextAttemptAt = next;
        }
        db.WebhookAttempts.Add(WebhookAttempt.Record(delivery.Id, number, attemptedAt, result.StatusCode, result.Duration, result.Error));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The lease ran out and another instance took the delivery (the token no longer
            // matches, or its attempt of the same number is already recorded): it is theirs now.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// What an attempt says about its endpoint: a success ends a run of failures; a failure
    /// starts one, and ends the endpoint when the run has lasted the contract's five days;
    /// 410 Gone ends it at once. True when the endpoint was disabled now.
    /// </summary>
    public async Task<bool> RecordEndpointOutcomeAsync(WebhookEndpointId endpointId, WebhookAttemptResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var endpoints = db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.Id == endpointId);
        if (result.Succeeded)
        {
            await endpoints.Where(e => e.FailingSince != null).ExecuteUpdateAsync(set => set.SetProperty(e => e.FailingSince, (DateTimeOffset?)null), cancellationToken);
            return false;
        }
        if (result.Gone) return await DisableAsync(endpoints, now, cancellationToken);

        await endpoints.Where(e => e.FailingSince == null).ExecuteUpdateAsync(set => set.SetProperty(e => e.FailingSince, now), cancellationToken);
        var failingLongEnough = now - WebhookDeliveryPolicy.DisableAfterFailingFor;
        return await DisableAsync(endpoints.Where(e => e.FailingSince <= failingLongEnough), now, cancellationToken);
    }

    private static async Task<bool> DisableAsync(IQueryable<WebhookEndpoint> endpoints, DateTimeOffset now, CancellationToken cancellationToken) =>
        await endpoints.Where(e => e.Active)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Active, false).SetProperty(e => e.UpdatedAt, now), cancellationToken) > 0;
}

/// <summary>Redelivery: a delivery of the caller's endpoint queued again for an attempt now, with a fresh retry schedule.</summary>
internal sealed class WebhookDeliveryQueue(ConvorDbContext db, TimeProvider clock, WebhookDispatchSignal signal) : IWebhookDeliveryQueue
{
    public async Task<bool> RedeliverAsync(OrganizationId organizationId, WebhookEndpointId endpointId, WebhookDeliveryId deliveryId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queued = await db.WebhookDeliveries
            .Where(d => d.OrganizationId == organizationId && d.EndpointId == endpointId && d.Id == deliveryId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.AttemptsSinceQueued, 0), cancellationToken) > 0;
        if (queued) signal.Notify();
        return queued;
    }
}
