using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

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
        await db.Database.MigrateAsync(cancellationToken);
    }
}
