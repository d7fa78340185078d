using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.ScaleOut;

/// <summary>
/// Three real API processes behind HAProxy over one PostgreSQL database and one Redis server.
/// A client drives commands through the load balancer, each with its own Idempotency-Key and
/// retried with that key on connection errors, 502/503/504 and 409 idempotency_in_progress,
/// while one instance is killed with SIGKILL. Afterwards every command has a real answer, every
/// version of every conversation has exactly one log entry, each conversation is what its last
/// entry says, and every version was answered to exactly one command: none applied twice.
/// The loop is bounded in count and time; the long version, with figures, is bench/cluster.sh
/// (its failover run and soak, checked with bench/cluster-invariants.sql).
/// </summary>
[NonParallelizable]
public sealed class InstanceKilledUnderLoadTests
{
    private const int Conversations = 6;
    private const int Commands = 90;
    private const int Workers = 4;
    private const int KillAfter = Commands / 3;

    private sealed record Outcome(Guid Conversation, string Command, HttpStatusCode Status, long? Version, string Body, bool CrossedTheKill);

    [Test]
    public async Task Commands_through_the_load_balancer_survive_a_killed_instance_each_applied_once_and_logged_once()
    {
        HaproxyLoadBalancer.IgnoreUnlessAvailable();
        RedisServer.IgnoreUnlessAvailable();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var redis = await RedisServer.StartNewAsync();
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = database.Provider,
            ["ConnectionStrings:Convor"] = database.ConnectionString,
            ["Redis:Configuration"] = redis.Configuration,
            ["RateLimiting:PermitLimit"] = "1000000",
            // Short commands, so the derived take-over time of a killed instance's claims is short.
            ["Database:CommandTimeoutSeconds"] = "3",
            ["Database:MaxRetryCount"] = "0",
            // An endpoint subscribed to every event, so that every change must leave its outbox row.
            // Its address is a closed loopback port: deliveries fail and stay in the outbox, and
            // nothing leaves the machine (an IP literal: no name is resolved).
            ["Webhooks:SecretEncryptionKey"] = Webhooks.WebhookTestBase.TestEncryptionKey,
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowPrivateNetworks"] = "true",
        };
        var instances = new List<ApiProcess>();
        try
        {
            instances.Add(await ApiProcess.StartAsync(settings)); // migrates; the others find nothing to do
            instances.Add(await ApiProcess.StartAsync(settings));
            instances.Add(await ApiProcess.StartAsync(settings));
            await using var balancer = await HaproxyLoadBalancer.StartAsync(instances.Select(i => i.Port).ToList());
            var (_, apiKey) = await AdminCommands.CreateOrganizationAsync("Load Org", AdminCommands.Arguments(settings));
            using var client = new HttpClient { BaseAddress = balancer.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

            var endpoint = await SendWithRetriesAsync(client, HttpMethod.Post, "/api/webhooks",
                $$"""{"url":"http://127.0.0.1:{{Loopback.FreePort()}}/hook","events":["*"]}""");
            endpoint.Status.ShouldBe(HttpStatusCode.Created, endpoint.Body);
            var operatorId = (await SendWithRetriesAsync(client, HttpMethod.Post, "/api/operators", """{"name":"Load Operator","email":"load@example.com"}""")).Body;
            var operatorGuid = JsonNode.Parse(operatorId)!["id"]!.GetValue<string>();
            var conversations = new List<Guid>();
            for (var i = 0; i < Conversations; i++)
            {
                var created = await SendWithRetriesAsync(client, HttpMethod.Post, "/api/conversations", """{"channel":"api"}""");
                created.Status.ShouldBe(HttpStatusCode.Created, created.Body);
                conversations.Add(Guid.Parse(JsonNode.Parse(created.Body)!["id"]!.GetValue<string>()));
            }

            var outcomes = new ConcurrentBag<Outcome>();
            var issued = 0;
            var killed = 0;
            var deadline = DateTime.UtcNow.AddSeconds(180);
            async Task WorkAsync(int worker)
            {
                var random = new Random(worker);
                while (DateTime.UtcNow < deadline)
                {
                    var n = Interlocked.Increment(ref issued);
                    if (n > Commands) return;
                    if (n == KillAfter && Interlocked.Exchange(ref killed, 1) == 0) await instances[1].SignalAsync("KILL");
                    var conversation = conversations[random.Next(conversations.Count)];
                    var (command, method, path, body) = random.Next(5) switch
                    {
                        0 => ("assign", HttpMethod.Post, $"/api/conversations/{conversation}/assign", $$"""{"operatorId":"{{operatorGuid}}"}"""),
                        1 => ("unassign", HttpMethod.Post, $"/api/conversations/{conversation}/unassign", (string?)null),
                        2 => ("close", HttpMethod.Post, $"/api/conversations/{conversation}/close", null),
                        3 => ("reopen", HttpMethod.Post, $"/api/conversations/{conversation}/reopen", null),
                        _ => ("priority", HttpMethod.Patch, $"/api/conversations/{conversation}", $$"""{"priority":"{{(random.Next(2) == 0 ? "high" : "low")}}"}"""),
                    };
                    var answer = await SendWithRetriesAsync(client, method, path, body);
                    outcomes.Add(new Outcome(conversation, command, answer.Status, answer.Version, answer.Body, answer.CrossedTheKill));
                }
            }
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(WorkAsync));

            killed.ShouldBe(1);
            outcomes.Count.ShouldBe(Commands, "every command got a real answer within the bound");
            outcomes.ShouldAllBe(o => (int)o.Status < 500, "no command was left with a server error after its retries");

            // Read the log straight from the database through an in-process host that takes no traffic.
            await using var reader = new ConvorApiFactory(database, new Dictionary<string, string?>
            {
                ["Snooze:SweepEnabled"] = "false",
                ["Webhooks:SecretEncryptionKey"] = Webhooks.WebhookTestBase.TestEncryptionKey,
                ["Webhooks:DispatcherEnabled"] = "false",
            });
            foreach (var conversation in conversations)
            {
                var log = await StoredActivityLog.ReadAsync(reader, conversation);
                var states = StoredActivityLog.StatesAfterEachRow(log); // versions exactly 1..n, each row on the state before it

                using var response = await client.GetAsync($"/api/conversations/{conversation}");
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                response.Headers.ETag!.Tag.ShouldBe($"\"{log.Count}\"");
                StoredActivityLog.ShouldAgreeWith(states[^1], JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());

                var answered = outcomes.Where(o => o.Conversation == conversation && o.Status == HttpStatusCode.OK).ToList();
                foreach (var outcome in answered)
                    StoredActivityLog.ShouldAgreeWith(states[(int)outcome.Version!.Value - 1], JsonNode.Parse(outcome.Body)!.AsObject());
                // Every version after the creation was answered to a command: a command applied
                // twice would leave a version that no answer names. Known gap (docs/adr/0300): the
                // recorded answer is committed after the change, so a command whose instance died
                // between the two is run again by the take-over; its first version is then named by
                // no answer. Only a command whose attempt broke with the instance can do that.
                var answeredVersions = answered.Select(o => o.Version!.Value).Append(1).ToHashSet();
                var versions = Enumerable.Range(1, log.Count).Select(v => (long)v).ToHashSet();
                answeredVersions.ShouldBeSubsetOf(versions);
                var unanswered = versions.Except(answeredVersions).Count();
                unanswered.ShouldBeLessThanOrEqualTo(
                    outcomes.Count(o => o.Conversation == conversation && o.CrossedTheKill),
                    "a version no answer names, without a command that crossed the kill to explain it");
            }

            // No event missing from the outbox, none twice: exactly one delivery per activity entry.
            await using (var scope = reader.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
                var ids = conversations.Select(c => new ConversationId(c)).ToList();
                var entries = await db.ActivityLog.IgnoreQueryFilters().Where(e => ids.Contains(e.ConversationId)).Select(e => e.Id).ToListAsync();
                var events = await db.WebhookDeliveries.Select(d => d.EventId).ToListAsync();
                entries.Count.ShouldBeGreaterThan(Conversations);
                events.ShouldBe(entries, ignoreOrder: true);
            }
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    /// <summary>
    /// One command with one Idempotency-Key, sent again with the same key while the answer is a
    /// connection error, a gateway/unavailable status or "in progress" (the claim of a killed
    /// instance, taken over after Idempotency:InProgressTimeoutSeconds). Bounded attempts.
    /// </summary>
    private static async Task<(HttpStatusCode Status, long? Version, string Body, bool CrossedTheKill)> SendWithRetriesAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        var key = "load-" + Guid.NewGuid().ToString("N");
        var crossedTheKill = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Idempotency-Key", key);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            try
            {
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var broken = response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
                var retry = broken || (response.StatusCode == HttpStatusCode.Conflict && text.Contains("idempotency_in_progress", StringComparison.Ordinal));
                crossedTheKill |= broken;
                if (!retry || attempt >= 100)
                {
                    long? version = response.Headers.ETag is { } etag ? long.Parse(etag.Tag.Trim('"'), CultureInfo.InvariantCulture) : null;
                    return (response.StatusCode, version, text, crossedTheKill);
                }
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                // The connection broke (the instance died mid-request): same key again.
                crossedTheKill = true;
            }
            catch (TaskCanceledException) when (attempt < 100)
            {
                // No answer in time: same key again.
                crossedTheKill = true;
            }
            await Task.Delay(200);
        }
    }
}
