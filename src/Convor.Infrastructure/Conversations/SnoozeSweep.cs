using System.ComponentModel.DataAnnotations;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.Conversations;

/// <summary>Configuration section <c>Snooze</c>.</summary>
public sealed class SnoozeOptions
{
    public const string Section = "Snooze";

    /// <summary>Seconds between two sweeps. Reads and filters show an ended snooze as open at once; this only bounds how late the activity log says so.</summary>
    [Range(1, 86_400)]
    public int SweepIntervalSeconds { get; set; } = 30;

    /// <summary>Conversations woken per transaction: small batches keep locks short.</summary>
    [Range(1, 1_000)]
    public int SweepBatchSize { get; set; } = 100;

    /// <summary>Run the background sweep in this process (turn off where another process sweeps, or in tests that drive it).</summary>
    public bool SweepEnabled { get; set; } = true;
}

/// <summary>
/// Writes down what readers already see: every conversation of every organization whose
/// snooze has ended becomes open. Each one is woken through the aggregate, so the activity log
/// gets its <c>reopened</c> entry by <c>system</c> in the same transaction. Several processes
/// may sweep at once: optimistic concurrency lets only one of them wake a given conversation.
/// </summary>
public sealed partial class SnoozeSweep(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<SnoozeOptions> options,
    ILogger<SnoozeSweep> logger)
{
    /// <summary>Batches that may lose a race within one pass before the rest waits for the next pass.</summary>
    public const int MaxConflictsPerPass = 5;

    /// <summary>One pass, batch after batch, until nothing is due; returns how many conversations it woke.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.SweepBatchSize;
        var woken = 0;
        var conflicts = 0;
        while (true)
        {
            // A fresh scope per batch: a clean change tracker, and a lost race forgets everything.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
            var now = clock.GetUtcNow();

            // Across organizations on purpose: the sweep acts for Convor, not for a caller.
            var due = await db.Conversations.IgnoreQueryFilters()
                .Where(EndedSnooze.HasEndedAt(now))
                .OrderBy(c => c.SnoozedUntil) // earliest first; ties need no order, every due row is taken in the end
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0) return woken;

            foreach (var conversation in due) conversation.WakeIfSnoozeExpired(now);
            try
            {
                await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
                woken += due.Count;
            }
            catch (ConcurrencyConflictException)
            {
                // A command changed one of them first (and woke it itself: commands wake an ended
                // snooze before anything else). The batch rolled back; read what is still due.
                if (++conflicts >= MaxConflictsPerPass)
                {
                    LogGaveUp(logger, conflicts);
                    return woken;
                }
                continue;
            }
            if (due.Count < batchSize) return woken;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snooze sweep lost {Conflicts} races in one pass; the rest waits for the next pass")]
    private static partial void LogGaveUp(ILogger logger, int conflicts);
}
