namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A real, empty database the API under test runs on. Every functional fixture runs once per
/// entry of <see cref="TestDatabases.Names"/>; a provider that cannot run on this machine is
/// reported as ignored with the reason, never silently passed.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>Value for <c>Database:Provider</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>Value for <c>ConnectionStrings:Convor</c>.</summary>
    public abstract string ConnectionString { get; }

    public abstract ValueTask DisposeAsync();
}

/// <summary>A fresh SQLite file in a temp directory, deleted afterwards.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "convor-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase() => Directory.CreateDirectory(directory);

    public override string Provider => "Sqlite";

    // Default Timeout (busy timeout) of 30 s lets concurrent test writers wait for the file lock.
    public override string ConnectionString => $"Data Source={Path.Combine(directory, "convor.db")};Default Timeout=30";

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalizing connection; the temp directory is cleaned by the OS.
        }
        return ValueTask.CompletedTask;
    }
}

public static class TestDatabases
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";
    public const string SqlServer = "SqlServer";

    /// <summary>
    /// Every provider the functional suite runs against: SQLite always, PostgreSQL always
    /// (skipped with the reason when its binaries are missing), SQL Server only when
    /// <see cref="SqlServerTestDatabase.ConnectionStringVariable"/> names a server.
    /// </summary>
    public static readonly string[] Names = SqlServerTestDatabase.IsConfigured ? [Sqlite, Postgres, SqlServer] : [Sqlite, Postgres];

    /// <summary>Call from a fixture's one-time set-up: a provider that cannot run here ignores the fixture with the reason.</summary>
    public static async Task<TestDatabase> CreateAsync(string name) => name switch
    {
        Sqlite => new SqliteTestDatabase(),
        Postgres => await PostgresTestDatabase.CreateAsync(),
        SqlServer => await SqlServerTestDatabase.CreateAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown test database."),
    };
}
