using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>
/// Whole API instances started, stopped and run side by side on one database: a restart loses
/// no event, two dispatchers never send the same attempt at once, and the encryption key is
/// demanded at start once endpoints exist.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Names))]
public sealed class WebhookRestartTests(string databaseName)
{
    private TestDatabase _database = null!;
    private WebhookReceiver _receiver = null!;
    private readonly List<ConvorApiFactory> _factories = [];

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await TestDatabases.CreateAsync(databaseName);
        _receiver = new WebhookReceiver();
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        foreach (var factory in _factories) await factory.DisposeAsync();
        _factories.Clear();
        await _receiver.DisposeAsync();
        await _database.DisposeAsync();
    }

    private ConvorApiFactory StartApi(Dictionary<string, string?>? settings = null)
    {
        var factory = new ConvorApiFactory(_database, settings ?? Settings(), services =>
            WebhookTestBase.UseTestNetwork(services, new FakeWebhookResolver(), new LoopbackOnlySocketOpener()));
        _factories.Add(factory);
        _ = factory.Server;
        return factory;
    }

    private static Dictionary<string, string?> Settings()
    {
        var settings = WebhookTestBase.WebhookSettings(allowPrivateNetworks: true);
        settings["Webhooks:RetryDelaysSeconds"] = "0.5,1,1,1,1,1,1,1,1,1,1,1";
        return settings;
    }

    private static async Task<string> CreateEndpointAsync(TestOrganization org, string url)
    {
        using var response = await org.Client.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "*" } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    private static async Task CreateConversationAsync(TestOrganization org)
    {
        using var response = await org.Client.PostAsJsonAsync("/api/conversations", new { channel = "api" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonArray> DeliveriesAsync(TestOrganization org, string endpointId)
    {
        using var response = await org.Client.GetAsync($"/api/webhooks/{endpointId}/deliveries?limit=100");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray();
    }

    [Test]
    public async Task Deliveries_pending_when_the_API_stops_with_the_receiver_down_all_arrive_after_a_restart_none_twice_per_attempt()
    {
        const int events = 20;
        var first = StartApi();
        var org = await first.CreateOrganizationAsync();
        var endpointId = await CreateEndpointAsync(org, _receiver.BaseUrl + "/down-then-up");
        for (var i = 0; i < events; i++) await CreateConversationAsync(org);
        // The receiver is down: wait until the dispatcher has failed at least one attempt.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await DeliveriesAsync(org, endpointId)).Any(d => d!["attempts"]!.GetValue<int>() >= 1))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("No attempt was made while the receiver was down.");
            await Task.Delay(50);
        }
        (await DeliveriesAsync(org, endpointId)).Count.ShouldBe(events);

        await first.DisposeAsync();
        _factories.Remove(first);
        await _receiver.StartAsync();
        var second = StartApi();
        var again = await second.CreateKeyAsync(org.OrgId, "webhooks:read");

        var received = await _receiver.WaitForAsync(r => r.Select(w => w.Id).Distinct().Count() >= events);
        received.Select(w => w.Id).Distinct().Count().ShouldBe(events);
        received.GroupBy(w => (w.Id, w.Attempt)).ShouldAllBe(g => g.Count() == 1);
        received.ShouldContain(w => w.Attempt >= 2); // attempts made (and failed) before the restart are continued after it
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await DeliveriesAsync(again, endpointId)).All(d => d!["status"]!.GetValue<string>() == "succeeded"))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Not every delivery succeeded after the restart.");
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task Two_instances_deliver_every_event_of_500_changes_and_never_the_same_attempt_at_once()
    {
        if (databaseName != TestDatabases.Postgres) Assert.Ignore("Several instances share a database server; SQLite is one process's file.");
        const int conversations = 250;
        _receiver.AnswerDelay = TimeSpan.FromMilliseconds(10);
        await _receiver.StartAsync();
        var one = StartApi();
        var two = StartApi();
        var orgOnOne = await one.CreateOrganizationAsync();
        var orgOnTwo = await two.CreateKeyAsync(orgOnOne.OrgId, [.. Domain.ApiKeys.ApiKeyScopes.All]);
        await CreateEndpointAsync(orgOnOne, _receiver.BaseUrl + "/two-instances");

        // 500 changes through both instances: 250 creations, then a priority change of each.
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, conversations), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            var org = i % 2 == 0 ? orgOnOne : orgOnTwo;
            using var created = await org.Client.PostAsJsonAsync("/api/conversations", new { channel = "api" }, cancellationToken);
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var id = JsonNode.Parse(await created.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
            using var patched = await (i % 2 == 0 ? orgOnTwo : orgOnOne).Client.PatchAsJsonAsync($"/api/conversations/{id}", new { priority = "high" }, cancellationToken);
            patched.StatusCode.ShouldBe(HttpStatusCode.OK);
            ids.Add(id);
        });

        var received = await _receiver.WaitForAsync(r => r.Select(w => w.Id).Distinct().Count() >= 2 * conversations, seconds: 180);
        received.Select(w => w.Id).Distinct().Count().ShouldBe(2 * conversations);
        received.Select(w => w.Json["data"]!["conversation"]!["id"]!.GetValue<string>()).Distinct().Order().ShouldBe(ids.Order());
        _receiver.ConcurrentDuplicates.ShouldBe(0);
        received.GroupBy(w => (w.Id, w.Attempt)).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
    }

    [Test]
    public async Task Outside_Development_the_API_refuses_to_start_without_the_encryption_key_once_an_endpoint_exists()
    {
        var withoutKey = Settings();
        withoutKey.Remove("Webhooks:SecretEncryptionKey");
        var before = StartApi(withoutKey); // no endpoint yet: starts
        await before.DisposeAsync();
        _factories.Remove(before);

        var withKey = StartApi();
        var org = await withKey.CreateOrganizationAsync();
        await CreateEndpointAsync(org, "https://hooks.example.com/needs-a-key");
        await withKey.DisposeAsync();
        _factories.Remove(withKey);

        var error = Should.Throw<InvalidOperationException>(() => StartApi(withoutKey));
        error.Message.ShouldContain("Webhooks:SecretEncryptionKey is not set");
        error.Message.ShouldNotContain(WebhookTestBase.TestEncryptionKey);
    }
}
