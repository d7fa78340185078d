using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Convor.Infrastructure.Persistence;

/// <summary>Brings the database to the current schema (used at start and by every admin command).</summary>
public sealed class DatabaseInitializer(ConvorDbContext db)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers proceed while one writer commits; the busy
            // timeout (the command timeout) makes concurrent writers wait instead of fail.
            var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory) && builder.DataSource != ":memory:") Directory.CreateDirectory(directory);
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        // Reading the history is one query; Migrate itself also takes the migration lock and
        // checks the database and history table first, which a restart with nothing to apply
        // would pay on its way to the first request.
        if (!(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any()) return;
        if (db.Database.IsNpgsql() && await DatabaseExistsAsync(cancellationToken))
        {
            await MigrateUnderAdvisoryLockAsync(cancellationToken);
            return;
        }
        await db.Database.MigrateAsync(cancellationToken);
    }

    // Any constant shared by every Convor instance: "CONVOR01" as ASCII.
    private const long MigrationLockKey = 0x434F4E564F523031;

    /// <summary>
    /// Several instances starting at once on one PostgreSQL database: EF's own lock is released
    /// when the first migration's transaction commits, so a second instance could start
    /// applying the next migration too. A session-level advisory lock held across the whole
    /// MigrateAsync serializes them; the later instance then finds nothing left to apply.
    /// </summary>
    private async Task MigrateUnderAdvisoryLockAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<bool> DatabaseExistsAsync(CancellationToken cancellationToken) =>
        await db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().ExistsAsync(cancellationToken);
}
