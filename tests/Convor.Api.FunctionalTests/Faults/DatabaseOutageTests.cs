using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Faults;

/// <summary>
/// The database server dies under a running API (<c>pg_ctl stop -m immediate</c>) and comes
/// back. The fixture has a cluster of its own, so no other fixture sees the outage.
/// </summary>
[NonParallelizable]
public sealed class DatabaseOutageTests
{
    /// <summary>
    /// Upper bound on any one request, far above what the short timeouts below allow
    /// ((retries + 1) x (connect + command timeout)): a request that hangs fails the test
    /// instead of stalling the run. A bound on waiting, not a timed assertion.
    /// </summary>
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(60);

    /// <summary>How long the server may take to be ready again after it restarts.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string?> FailFastSettings = new()
    {
        ["Database:CommandTimeoutSeconds"] = "2",
        ["Database:MaxRetryCount"] = "1",
        // The key lookup is cached for the whole fixture so that, while the database is down,
        // requests with a known key reach the handlers (a new key is tested separately).
        ["Auth:KeyCacheMilliseconds"] = "600000",
    };

    private PostgresCluster cluster = null!;
    private PostgresTestDatabase database = null!;
    private ConvorApiFactory factory = null!;
    private TestOrganization org = null!;

    [OneTimeSetUp]
    public async Task StartOwnClusterAsync()
    {
        cluster = await PostgresCluster.StartNewAsync();
        // Timeout: seconds to open a connection (a dead server is refused at once, a hung one
        // would otherwise be waited on for 15 s); Cancellation Timeout=-1: after a command
        // timeout, break the connection at once instead of waiting for the server to confirm.
        database = await PostgresTestDatabase.CreateAsync(cluster, "Timeout=2;Cancellation Timeout=-1");
        factory = new ConvorApiFactory(database, FailFastSettings);
        _ = factory.Server;
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        if (factory is not null) await factory.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        if (cluster is not null) await cluster.DisposeAsync();
    }

    [SetUp]
    public async Task NewOrganizationOnARunningServerAsync()
    {
        if (!cluster.IsRunning) await RestartAndWaitUntilReadyAsync();
        org = await factory.CreateOrganizationAsync("Outage Org");
        org.Client.Timeout = RequestBound;
    }

    [Test]
    public async Task While_the_database_is_down_every_request_is_503_with_Retry_After_and_liveness_stays_healthy()
    {
        var conversation = await CreateConversationAsync();
        var op = await CreateOperatorAsync();
        // Known to the key cache before the outage; this one is not, so its lookup needs the database.
        var unseenKey = await factory.CreateKeyAsync(org.OrgId);
        unseenKey.Client.Timeout = RequestBound;
        using var anonymous = factory.CreateClient();
        anonymous.Timeout = RequestBound;

        await cluster.StopServerAsync();

        await ShouldBeUnavailableAsync(await org.Client.GetAsync($"/api/conversations/{Id(conversation)}"));
        await ShouldBeUnavailableAsync(await org.Client.GetAsync($"/api/operators/{Id(op)}"));
        await ShouldBeUnavailableAsync(await org.Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) }));
        await ShouldBeUnavailableAsync(await org.Client.PostAsync($"/api/conversations/{Id(conversation)}/close", null));
        await ShouldBeUnavailableAsync(await org.Client.PostAsJsonAsync("/api/conversations", new { channel = "api" }));
        // An outage is not a bad key: the key that could not be looked up is 503, not 401.
        await ShouldBeUnavailableAsync(await unseenKey.Client.GetAsync($"/api/conversations/{Id(conversation)}"));

        await ShouldBeUnavailableAsync(await anonymous.GetAsync("/health/ready"));
        using (var live = await anonymous.GetAsync("/health/live"))
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_database_that_stops_answering_is_503_after_the_timeouts_not_a_hang()
    {
        var conversation = await CreateConversationAsync();
        var op = await CreateOperatorAsync();
        using var anonymous = factory.CreateClient();
        anonymous.Timeout = RequestBound;

        await cluster.FreezeAsync();
        try
        {
            await ShouldBeUnavailableAsync(await org.Client.GetAsync($"/api/conversations/{Id(conversation)}"));
            await ShouldBeUnavailableAsync(await org.Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) }));
            await ShouldBeUnavailableAsync(await anonymous.GetAsync("/health/ready"));
            using var live = await anonymous.GetAsync("/health/live");
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await cluster.ThawAsync();
        }

        await WaitUntilReadyAsync();
        using var read = await org.Client.GetAsync($"/api/conversations/{Id(conversation)}");
        var after = await ReadOkAsync(read);
        // The assign that timed out either committed whole or not at all.
        var log = await StoredActivityLog.ReadAsync(factory, Guid.Parse(Id(conversation)));
        StoredActivityLog.ShouldAgreeWith(StoredActivityLog.Replay(log), after);
    }

    [Test]
    public async Task When_the_database_returns_service_resumes_without_restarting_the_api()
    {
        var conversation = await CreateConversationAsync();
        var op = await CreateOperatorAsync();
        var unseenKey = await factory.CreateKeyAsync(org.OrgId);
        unseenKey.Client.Timeout = RequestBound;

        // Many connections in the pool, all of which the outage breaks.
        await ManyAtOnceAsync(() => org.Client.GetAsync($"/api/conversations/{Id(conversation)}"), HttpStatusCode.OK);

        await cluster.StopServerAsync();
        await ShouldBeUnavailableAsync(await org.Client.GetAsync($"/api/conversations/{Id(conversation)}"));
        await RestartAndWaitUntilReadyAsync();

        // The pool held connections to the dead server; none of them may surface as an error now.
        await ManyAtOnceAsync(() => org.Client.GetAsync($"/api/conversations/{Id(conversation)}"), HttpStatusCode.OK);
        using (var read = await org.Client.GetAsync($"/api/conversations/{Id(conversation)}"))
            (await ReadOkAsync(read)).ToJsonString().ShouldBe(conversation.ToJsonString());
        using (var assign = await org.Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) }))
            (await ReadOkAsync(assign))["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
        using (var created = await unseenKey.Client.PostAsJsonAsync("/api/conversations", new { channel = "api" }))
            (await ReadOkAsync(created, HttpStatusCode.Created))["channel"]!.GetValue<string>().ShouldBe("api");

        var log = await StoredActivityLog.ReadAsync(factory, Guid.Parse(Id(conversation)));
        log.Select(e => e.Type).ShouldBe(["created", "assigned"]);
    }

    [Test]
    public async Task Commands_cut_off_by_the_outage_either_fully_happened_or_not_at_all()
    {
        var shared = await CreateConversationAsync();
        var operators = new[] { await CreateOperatorAsync(), await CreateOperatorAsync() };

        // Creates (a visitor, a conversation and its created row in one transaction) and
        // assign/unassign on one conversation, all in flight when the server is killed.
        const int Commands = 60;
        var answered = 0;
        var stopped = new TaskCompletionSource();
        var requests = Enumerable.Range(0, Commands).Select(async i =>
        {
            await Task.Yield();
            var response = (i % 3) switch
            {
                0 => await org.Client.PostAsJsonAsync("/api/conversations", new { channel = "widget", metadata = new { n = i } }),
                1 => await org.Client.PostAsJsonAsync($"/api/conversations/{Id(shared)}/assign", new { operatorId = Id(operators[i % 2]) }),
                _ => await org.Client.PostAsync($"/api/conversations/{Id(shared)}/unassign", null),
            };
            if (Interlocked.Increment(ref answered) == Commands / 6) stopped.TrySetResult();
            return (Kind: i % 3, Response: response);
        }).ToList();

        // Kill the server once some commands are through and the rest are on their way.
        await Task.WhenAny(stopped.Task, Task.WhenAll(requests));
        await cluster.StopServerAsync();
        var results = await Task.WhenAll(requests);
        await RestartAndWaitUntilReadyAsync();

        var createdIds = new List<Guid>();
        foreach (var (kind, response) in results)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable], text);
                if (response.StatusCode == HttpStatusCode.Conflict)
                    JsonNode.Parse(text)!["error"]!["code"]!.GetValue<string>().ShouldBe("concurrency_conflict");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) await ShouldBeUnavailableAsync(response);
                if (response.StatusCode == HttpStatusCode.Created) createdIds.Add(Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>()));
                if (kind == 0 && response.IsSuccessStatusCode) response.StatusCode.ShouldBe(HttpStatusCode.Created);
            }
        }

        // Every conversation that exists, answered or not, is whole: its row and its log agree.
        var stored = await StoredActivityLog.ConversationsOfAsync(factory, org.OrgId);
        createdIds.Except(stored.Select(c => c.Id)).ShouldBeEmpty("every conversation answered 201 is stored");
        foreach (var (id, version) in stored)
        {
            var log = await StoredActivityLog.ReadAsync(factory, id);
            log.Count.ShouldBe((int)version, $"conversation {id} has version {version} but {log.Count} log rows");
            using var read = await org.Client.GetAsync($"/api/conversations/{id}");
            StoredActivityLog.ShouldAgreeWith(StoredActivityLog.Replay(log), await ReadOkAsync(read));
        }
    }

    private static async Task ManyAtOnceAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ => { await Task.Yield(); return await send(); }));
        foreach (var response in responses)
        {
            using (response) response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task RestartAndWaitUntilReadyAsync()
    {
        await cluster.StartServerAsync();
        await WaitUntilReadyAsync();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var anonymous = factory.CreateClient();
        anonymous.Timeout = RequestBound;
        using var recovery = new CancellationTokenSource(RecoveryBound);
        while (true)
        {
            using var ready = await anonymous.GetAsync("/health/ready", recovery.Token);
            if (ready.StatusCode == HttpStatusCode.OK) return;
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            await Task.Delay(TimeSpan.FromMilliseconds(200), recovery.Token);
        }
    }

    private async Task<JsonObject> CreateConversationAsync()
    {
        using var response = await org.Client.PostAsJsonAsync("/api/conversations", new { channel = "widget" });
        return await ReadOkAsync(response, HttpStatusCode.Created);
    }

    private async Task<JsonObject> CreateOperatorAsync()
    {
        using var response = await org.Client.PostAsJsonAsync("/api/operators",
            new { name = "Operator", email = $"op-{Guid.NewGuid():N}@example.test", role = "agent", active = true });
        return await ReadOkAsync(response, HttpStatusCode.Created);
    }

    private static async Task<JsonObject> ReadOkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>503 <c>service_unavailable</c> in the envelope, with a positive whole-second <c>Retry-After</c>.</summary>
    private static async Task ShouldBeUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await ApiFixture.ShouldBeErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            var retryAfter = response.Headers.RetryAfter.ShouldNotBeNull("503 must say when to retry");
            retryAfter.Delta.ShouldNotBeNull().TotalSeconds.ShouldBeGreaterThan(0);
        }
    }

    private static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();
}

