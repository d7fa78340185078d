using Convor.Application.Common.Telemetry;
using System.ComponentModel.DataAnnotations;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.Routing;

/// <summary>Configuration section <c>Routing</c>.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>
    /// Longest time between two drains of the queue when nothing in this process woke it.
    /// Capacity that appears through this process drains at once; this bounds how late capacity
    /// that appeared through another instance (or the admin command line) drains here.
    /// </summary>
    [Range(50, 60_000)]
    public int DrainIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// Shortest time between the end of one drain and the start of the next, however often
    /// commits wake it. Under load nearly every unassign and close wakes the drain and each pass
    /// reads the queues once (a database round trip per command, seen in bench/run.sh); a pause
    /// this short gathers the wake-ups of that time into one pass and leaves the contract's
    /// "routed within 2 seconds" far away. 0 drains at every wake-up.
    /// </summary>
    [Range(0, 1_000)]
    public int DrainSpacingMilliseconds { get; set; } = 100;

    /// <summary>Run the queue drain in this process (turn off where tests drive it, or where other instances drain).</summary>
    public bool DrainEnabled { get; set; } = true;
}

/// <summary>The in-process wake-up of the drain: many notifications before it runs are one run.</summary>
public sealed class RoutingQueueSignal : IRoutingQueueSignal, IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        // Most commits find a wake-up already pending (every unassign and close notifies): look
        // first, because a full semaphore answers Release with an exception, which is costly on
        // the request path. Two notifiers can still both see 0; the loser's exception is harmless.
        if (_pending.CurrentCount > 0) return;
        try { _pending.Release(); }
        catch (SemaphoreFullException) { /* already pending: the next drain sees this change too */ }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}

/// <summary>
/// Routes waiting conversations, oldest request first, while operators have room. Each one
/// goes through the aggregate (<c>RouteWaiting</c>) with the candidates loaded like the
/// handoff loads them, and is saved alone: its conversation version makes sure that with
/// several instances draining at once each waiting conversation is routed once, and the
/// chosen operator's version makes sure nobody goes above its maximum.
/// </summary>
public sealed partial class RoutingDrain(IServiceScopeFactory scopes, TimeProvider clock, ConvorMetrics metrics, ILogger<RoutingDrain> logger)
{
    /// <summary>Lost races within one organization's pass before the rest waits for the next pass.</summary>
    public const int MaxConflictsPerOrganization = 20;

    /// <summary>One pass over every organization that has a queue; returns how many conversations it routed.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        List<(OrganizationId Organization, int Waiting)> queues;
        await using (var scope = scopes.CreateAsyncScope())
        {
            // Across organizations on purpose: the drain acts for Convor, not for a caller.
            queues = (await scope.ServiceProvider.GetRequiredService<ConvorDbContext>().Conversations.IgnoreQueryFilters()
                .Where(c => c.WaitingSince != null)
                .GroupBy(c => c.OrganizationId)
                .Select(g => new { Organization = g.Key, Waiting = g.Count() })
                .ToListAsync(cancellationToken))
                .Select(q => (q.Organization, q.Waiting)).ToList();
        }
        var routed = 0;
        foreach (var (organization, _) in queues) routed += await DrainAsync(organization, cancellationToken);
        // What this pass left waiting (handoffs queued meanwhile show in the next pass).
        metrics.ReportWaitingConversations(Math.Max(0, queues.Sum(q => q.Waiting) - routed));
        return routed;
    }

    /// <summary>Routes the organization's oldest waiting conversation, again and again, until none waits or nobody has room.</summary>
    public async Task<int> DrainAsync(OrganizationId organizationId, CancellationToken cancellationToken)
    {
        var routed = 0;
        var conflicts = 0;
        while (true)
        {
            // A fresh scope per conversation: a clean change tracker, and a lost race forgets everything.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
            var oldest = await db.Conversations.IgnoreQueryFilters()
                .Where(c => c.OrganizationId == organizationId && c.WaitingSince != null)
                .OrderBy(c => c.WaitingSince).ThenBy(c => c.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (oldest is null) return routed;

            var candidates = await scope.ServiceProvider.GetRequiredService<IOperatorRepository>()
                .LoadRoutingCandidatesAsync(organizationId, cancellationToken);
            if (!oldest.RouteWaiting(candidates, clock.GetUtcNow())) return routed;
            try
            {
                await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
                routed++;
            }
            catch (ConcurrencyConflictException)
            {
                // Another instance routed this conversation, or gave the chosen operator one, first.
                if (++conflicts >= MaxConflictsPerOrganization)
                {
                    LogGaveUp(logger, conflicts);
                    return routed;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing drain lost {Conflicts} races in one pass; the rest waits for the next pass")]
    private static partial void LogGaveUp(ILogger logger, int conflicts);
}
