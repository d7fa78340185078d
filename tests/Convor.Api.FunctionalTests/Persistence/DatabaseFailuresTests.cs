using System.Net;
using System.Net.Sockets;
using Convor.Api.Errors;
using Convor.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Convor.Api.FunctionalTests.Persistence;

/// <summary>
/// Which failures mean "the database is away" (503, retry later) and which are bugs (500),
/// checked on the exceptions the drivers and EF Core really throw where that can be provoked.
/// </summary>
public sealed class DatabaseFailuresTests
{
    [Test]
    public async Task Npgsql_refused_connection_is_unavailable()
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ClosedPort()};Timeout=2;Pooling=false");

        var exception = await Should.ThrowAsync<NpgsqlException>(() => connection.OpenAsync());

        ShouldBeUnavailable(exception);
    }

    [Test]
    public async Task Postgres_retry_limit_exceeded_by_the_execution_strategy_is_unavailable()
    {
        await using var db = new PostgresConvorDbContext(new DbContextOptionsBuilder<PostgresConvorDbContext>()
            .UseNpgsql($"Host=127.0.0.1;Port={ClosedPort()};Timeout=2;Pooling=false", pg => pg.EnableRetryOnFailure(1))
            .Options);

        var exception = await Should.ThrowAsync<Exception>(() => db.Organizations.AnyAsync());

        exception.ShouldBeOfType<Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException>();
        ShouldBeUnavailable(exception);
    }

    [Test]
    public async Task SqlServer_unreachable_server_is_unavailable()
    {
        await using var db = new SqlServerConvorDbContext(new DbContextOptionsBuilder<SqlServerConvorDbContext>()
            .UseSqlServer($"Server=tcp:127.0.0.1,{ClosedPort()};Database=convor;Connect Timeout=2;Encrypt=False;Pooling=false", sql => sql.EnableRetryOnFailure(1))
            .Options);

        var exception = await Should.ThrowAsync<Exception>(() => db.Organizations.AnyAsync());

        ShouldBeUnavailable(exception);
    }

    [TestCase("57P01")] // admin_shutdown: the server is stopping
    [TestCase("57P03")] // cannot_connect_now: starting up or shutting down
    [TestCase("53300")] // too_many_connections
    public void Postgres_server_going_away_is_unavailable(string sqlState) =>
        ShouldBeUnavailable(new DbUpdateException("save failed", new PostgresException("server going away", "FATAL", "FATAL", sqlState)));

    [Test]
    public void SQLite_busy_file_is_unavailable() =>
        ShouldBeUnavailable(new SqliteException("database is locked", 5));

    [TestCase("23505")] // unique_violation
    [TestCase("42P01")] // undefined_table: a missing migration is a bug, not an outage
    public void Postgres_statement_errors_are_not_unavailable(string sqlState) =>
        ShouldNotBeUnavailable(new DbUpdateException("save failed", new PostgresException("bad statement", "ERROR", "ERROR", sqlState)));

    [Test]
    public void SQLite_constraint_error_is_not_unavailable() =>
        ShouldNotBeUnavailable(new SqliteException("constraint failed", 19, 2067));

    [Test]
    public void Unknown_exceptions_are_not_unavailable() =>
        ShouldNotBeUnavailable(new InvalidOperationException("a bug"));

    private static void ShouldBeUnavailable(Exception exception)
    {
        DatabaseFailures.IsUnavailable(exception).ShouldBeTrue(exception.ToString());
        var mapped = ExceptionMapper.Map(exception);
        mapped.Status.ShouldBe(503);
        mapped.Code.ShouldBe("service_unavailable");
    }

    private static void ShouldNotBeUnavailable(Exception exception)
    {
        DatabaseFailures.IsUnavailable(exception).ShouldBeFalse(exception.ToString());
        var mapped = ExceptionMapper.Map(exception);
        mapped.Status.ShouldBe(500);
        mapped.Code.ShouldBe("internal_error");
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago), so connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
