using Microsoft.Data.SqlClient;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A fresh database <c>convor_&lt;guid&gt;</c> on the SQL Server named by
/// <see cref="ConnectionStringVariable"/> (no server runs on the build machines; set it to run
/// the suite against one). The API's migrations create the database; dispose drops it.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    /// <summary>Environment variable with a connection string to a SQL Server the tests may create databases on.</summary>
    public const string ConnectionStringVariable = "CONVOR_TEST_SQLSERVER";

    private readonly string name = "convor_" + Guid.NewGuid().ToString("N");
    private readonly string serverConnectionString;

    private SqlServerTestDatabase(string serverConnectionString)
    {
        this.serverConnectionString = serverConnectionString;
        ConnectionString = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = name }.ConnectionString;
    }

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionStringVariable));

    public override string Provider => TestDatabases.SqlServer;

    public override string ConnectionString { get; }

    /// <summary>Ignores the calling fixture or test, with the reason, when no server is configured.</summary>
    public static Task<SqlServerTestDatabase> CreateAsync()
    {
        if (!IsConfigured)
            Assert.Ignore($"No SQL Server is available here: set {ConnectionStringVariable} to a connection string of one to run the SQL Server tests.");
        return Task.FromResult(new SqlServerTestDatabase(Environment.GetEnvironmentVariable(ConnectionStringVariable)!));
    }

    public override async ValueTask DisposeAsync()
    {
        await using (var connection = new SqlConnection(ConnectionString)) SqlConnection.ClearPool(connection);
        var master = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = "master" }.ConnectionString;
        await using var server = new SqlConnection(master);
        await server.OpenAsync();
        await using var command = server.CreateCommand();
        command.CommandText =
            $"IF DB_ID(N'{name}') IS NOT NULL BEGIN ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]; END";
        await command.ExecuteNonQueryAsync();
    }
}
