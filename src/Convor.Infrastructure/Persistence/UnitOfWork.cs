using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Convor.Infrastructure.Persistence;

/// <summary>
/// One SaveChanges is one transaction. Provider errors are translated here, so the
/// application sees "someone else changed it first" or "that value is taken", never a
/// provider exception type.
/// </summary>
internal sealed class UnitOfWork(ConvorDbContext db) : IUnitOfWork
{
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException();
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            // Two writers inserting the same activity-log version is also a lost race.
            if (exception.Entries.Any(e => e.Entity is Domain.Conversations.ActivityLogEntry))
                throw new ConcurrencyConflictException();
            throw new UniqueConstraintViolationException(exception);
        }
    }

    public void DiscardChanges() => db.ChangeTracker.Clear();

    internal static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
