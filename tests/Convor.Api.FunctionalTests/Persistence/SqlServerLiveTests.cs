using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Persistence;

/// <summary>
/// The API on a real SQL Server, end to end: migrations, commands, ETag/If-Match, a race and
/// the activity log. Runs only when <c>CONVOR_TEST_SQLSERVER</c> holds a connection string
/// (then the whole functional suite also runs on SQL Server); otherwise reported as ignored.
/// </summary>
public sealed class SqlServerLiveTests
{
    private ConvorApiFactory factory = null!;
    private TestOrganization org = null!;

    [OneTimeSetUp]
    public async Task StartApiOnSqlServerAsync()
    {
        var database = await SqlServerTestDatabase.CreateAsync();
        factory = new ConvorApiFactory(database);
        _ = factory.Server;
        org = await factory.CreateOrganizationAsync("SQL Server Org");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (factory is null) return;
        await factory.DisposeAsync();
        await factory.Database.DisposeAsync();
    }

    [Test]
    public async Task Commands_preconditions_a_race_and_the_activity_log_work_on_SQL_Server()
    {
        var conversation = await SendAsync(HttpMethod.Post, "/api/conversations", new { channel = "email" }, HttpStatusCode.Created);
        var id = conversation["id"]!.GetValue<string>();
        var op = (await SendAsync(HttpMethod.Post, "/api/operators",
            new { name = "Ada", email = $"ada-{Guid.NewGuid():N}@example.test", role = "agent", active = true }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        await SendAsync(HttpMethod.Post, $"/api/conversations/{id}/assign", new { operatorId = op }, HttpStatusCode.OK, ifMatch: "\"1\"");
        await SendAsync(HttpMethod.Post, $"/api/conversations/{id}/unassign", null, HttpStatusCode.PreconditionFailed, ifMatch: "\"1\"");

        // Parallel assign/unassign: only 200 or 409, and the log still explains the row.
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            await Task.Yield();
            using var response = i % 2 == 0
                ? await org.Client.PostAsJsonAsync($"/api/conversations/{id}/assign", new { operatorId = op })
                : await org.Client.PostAsync($"/api/conversations/{id}/unassign", null);
            return response.StatusCode;
        }));
        answers.ShouldAllBe(status => status == HttpStatusCode.OK || status == HttpStatusCode.Conflict);

        var closed = await SendAsync(HttpMethod.Post, $"/api/conversations/{id}/close", null, HttpStatusCode.OK);
        closed["status"]!.GetValue<string>().ShouldBe("closed");

        var log = await StoredActivityLog.ReadAsync(factory, Guid.Parse(id));
        log[^1].Type.ShouldBe("closed");
        using var read = await org.Client.GetAsync($"/api/conversations/{id}");
        read.Headers.ETag!.Tag.ShouldBe($"\"{log.Count}\"");
        StoredActivityLog.ShouldAgreeWith(StoredActivityLog.Replay(log), JsonNode.Parse(await read.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, object? body, HttpStatusCode expected, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await org.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
