using Npgsql;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A fresh, empty database <c>convor_&lt;guid&gt;</c> on a <see cref="PostgresCluster"/>; the API's
/// migrations create the schema when it starts. Dropped again on dispose.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private readonly PostgresCluster cluster;
    private readonly string name = "convor_" + Guid.NewGuid().ToString("N");

    private PostgresTestDatabase(PostgresCluster cluster, string? connectionOptions)
    {
        this.cluster = cluster;
        ConnectionString = cluster.ConnectionString(name, connectionOptions);
    }

    public override string Provider => TestDatabases.Postgres;

    public override string ConnectionString { get; }

    public PostgresCluster Cluster => cluster;

    /// <summary>A database on the run's shared cluster (the fixture is skipped when PostgreSQL is not installed).</summary>
    public static async Task<PostgresTestDatabase> CreateAsync() => await CreateAsync(await PostgresCluster.SharedAsync());

    /// <param name="cluster">where the database lives</param>
    /// <param name="connectionOptions">appended to the connection string, e.g. <c>Timeout=2</c></param>
    public static async Task<PostgresTestDatabase> CreateAsync(PostgresCluster cluster, string? connectionOptions = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var database = new PostgresTestDatabase(cluster, connectionOptions);
        await cluster.ExecuteAsync($"CREATE DATABASE \"{database.name}\"");
        return database;
    }

    public override async ValueTask DisposeAsync()
    {
        // The API's pool would otherwise keep idle connections to a database that is gone.
        await using (var connection = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(connection);
        if (cluster.IsRunning) await cluster.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
