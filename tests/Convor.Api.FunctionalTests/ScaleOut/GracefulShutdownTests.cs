using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Npgsql;

namespace Convor.Api.FunctionalTests.ScaleOut;

/// <summary>
/// A real API process stopped with SIGTERM while commands are in flight: they are held inside
/// the database (a table lock the test owns), so they are provably in flight when the signal
/// arrives. The process must refuse new connections, finish those commands with their real
/// answers once the lock is released, and exit cleanly.
/// </summary>
[NonParallelizable]
public sealed class GracefulShutdownTests
{
    private const int InFlight = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Requests_in_flight_at_sigterm_complete_with_their_real_answers_and_new_connections_are_refused()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = database.Provider,
            ["ConnectionStrings:Convor"] = database.ConnectionString,
            ["Snooze:SweepEnabled"] = "false",
            ["Shutdown:TimeoutSeconds"] = "60",
        };
        await using var api = await ApiProcess.StartAsync(settings);
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        var (_, apiKey) = await AdminCommands.CreateOrganizationAsync("Shutdown Org", AdminCommands.Arguments(settings));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var ids = new List<string>();
        for (var i = 0; i < InFlight; i++)
        {
            using var created = await client.PostAsync("/api/conversations", new StringContent("""{"channel":"api"}""", System.Text.Encoding.UTF8, "application/json"));
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            ids.Add(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }

        await using var blocker = new NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE conversations IN EXCLUSIVE MODE", blocker, transaction))
            await lockTable.ExecuteNonQueryAsync();

        var closes = ids.Select(id => client.PostAsync($"/api/conversations/{id}/close", null)).ToList();
        await Loopback.WaitUntilAsync(async () => await WaitingOnLocksAsync(database) >= InFlight, Patience, "the commands wait on the lock");

        await api.SignalAsync("TERM");
        await Loopback.WaitUntilAsync(() => Task.FromResult(api.Output.Any(line => line.Contains("Application is shutting down", StringComparison.Ordinal))), Patience, "the host is stopping");
        await Loopback.WaitUntilAsync(async () => !await AcceptsConnectionsAsync(api.Port), Patience, "new connections are refused");
        api.HasExited.ShouldBeFalse("the process waits for the requests in flight");

        await transaction.RollbackAsync();
        var responses = await Task.WhenAll(closes);

        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            JsonNode.Parse(body)!["status"]!.GetValue<string>().ShouldBe("closed");
        }
        await api.WaitForExitAsync(TimeSpan.FromSeconds(60));
        api.ExitCode.ShouldBe(0);
    }

    private static async Task<long> WaitingOnLocksAsync(PostgresTestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
