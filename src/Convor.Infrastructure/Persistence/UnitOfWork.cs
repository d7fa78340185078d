using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// One SaveChanges is one transaction. Provider errors are translated here, so the
/// application sees "someone else changed it first" or "that value is taken", never a
/// provider exception type. After a commit that may let the routing queue move (capacity
/// appeared, or a handoff was queued), this process's queue is woken.
/// <para>
/// On PostgreSQL a conversation command's save is one round trip: its statements go as one
/// batch in the implicit transaction PostgreSQL gives a batch, with no BEGIN/COMMIT of ours,
/// whenever every race the save can lose is lost by an error rather than by a row count
/// (<see cref="SaveTransactions"/>, decided in <see cref="ConvorDbContext"/>'s save, docs/adr/1100).
/// </para>
/// </summary>
internal sealed class UnitOfWork(ConvorDbContext db, IRoutingQueueSignal? routingQueue = null) : IUnitOfWork
{
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        var events = db.TrackedEntries<Domain.Common.AggregateRoot>().SelectMany(e => e.Entity.DomainEvents).ToList();
        if (!SaveTransactions.DatabaseGuardsAssignments(db)) CheckVersionsOfAssignedOperators(events);
        var wakesRoutingQueue = routingQueue is not null && events.Any(e => e is Domain.Conversations.IWakesRoutingQueue);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (wakesRoutingQueue) routingQueue!.Notify();
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException();
        }
        catch (DbUpdateException exception) when (SaveTransactions.IsAssignedOperatorChanged(exception))
        {
            // PostgreSQL's guard of the assignment (docs/adr/1100): the operator was deactivated
            // after the command read it. The retry reads it again and answers operator_inactive.
            throw new ConcurrencyConflictException();
        }
        catch (DbUpdateException exception) when (IsPrimaryKeyViolation(exception))
        {
            // Every key is a fresh UUID made by this save, so a duplicate primary key can only
            // be this very save: the connection broke after its commit but before the
            // acknowledgement, and the execution strategy sent it again. The first attempt
            // committed all of it in one transaction; sending it again would create it twice.
            AcceptCommittedChanges();
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            // Two writers inserting the same activity-log or message version is also a lost race.
            if (exception.Entries.Any(e => e.Entity is Domain.Conversations.ActivityLogEntry or Domain.Conversations.Message))
                throw new ConcurrencyConflictException();
            throw new UniqueConstraintViolationException(exception);
        }
    }

    public void DiscardChanges() => db.ChangeTracker.Clear();

    /// <summary>
    /// The per-operator serialization point (docs/adr/0800): a save that assigns a conversation
    /// to an operator also sends <c>UPDATE operators SET version = version WHERE id = … AND
    /// version = &lt;read&gt;</c>, so it fails if the operator changed (was deactivated, say)
    /// after the command read it. The value is left as it is: assignments by people do not
    /// contend with each other, only with changes of the operator and with routing, which moves
    /// the version itself.
    /// </summary>
    private void CheckVersionsOfAssignedOperators(List<Domain.Common.IDomainEvent> events)
    {
        var assignments = events.OfType<Domain.Conversations.OperatorAssigned>().ToList();
        if (assignments.Count == 0) return;
        var operators = db.TrackedEntries<Domain.Operators.Operator>();
        foreach (var assigned in assignments)
        {
            var entry = operators.FirstOrDefault(o => o.Entity.Id == assigned.OperatorId);
            if (entry is { State: EntityState.Unchanged }) entry.Property(o => o.Version).IsModified = true;
        }
    }

    private void AcceptCommittedChanges()
    {
        foreach (var entry in db.ChangeTracker.Entries<Domain.Common.AggregateRoot>()) entry.Entity.ClearDomainEvents();
        db.ChangeTracker.AcceptAllChanges();
    }

    /// <summary>
    /// Only where EF retries a save (PostgreSQL, SQL Server); SQLite never sends a save twice,
    /// so there a duplicate key would be a bug and must surface.
    /// </summary>
    internal static bool IsPrimaryKeyViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName?.StartsWith("PK_", StringComparison.Ordinal) == true,
        // 2627 is any unique constraint; only the message names it (PK_ is EF's primary-key prefix).
        Microsoft.Data.SqlClient.SqlException sql => sql.Number == 2627 && sql.Message.Contains("'PK_", StringComparison.Ordinal),
        _ => false,
    };

    internal static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
