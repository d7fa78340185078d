using System.ComponentModel.DataAnnotations;

namespace Convor.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}

/// <summary>Configuration section <c>Database</c>; the connection string is <c>ConnectionStrings:Convor</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Convor";
    public const string DefaultSqliteConnectionString = "Data Source=convor.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Seconds one database command may take before the request fails with 503.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>Apply pending migrations when the API starts (turn off to migrate out of band).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Retries of a transient failure (dropped connection, failover) by EF's execution strategy.</summary>
    [Range(0, 10)]
    public int MaxRetryCount { get; set; } = 3;
}

public static class SqliteConnectionStrings
{
    /// <summary>Makes a relative <c>Data Source</c> absolute against <paramref name="root"/>.</summary>
    public static string Rooted(string connectionString, string root)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not ("" or ":memory:") && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory
            && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(root, builder.DataSource));
        }
        return builder.ConnectionString;
    }
}
