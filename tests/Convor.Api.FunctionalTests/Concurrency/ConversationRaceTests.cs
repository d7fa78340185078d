using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Concurrency;

/// <summary>
/// Many commands on one conversation at the same time. Every request uses an API key of its
/// own, so each activity-log row names the request that made it and the log can be checked
/// against every answer: no update lost, one row per real change, nothing written by a request
/// that was refused.
/// </summary>
public sealed class ConversationRaceTests(string database) : ApiTestBase(database)
{
    private const int Requests = 90;

    private enum Kind { Assign, Unassign, Close }

    private sealed record Outcome(Kind Kind, string? OperatorId, string Actor, HttpStatusCode Status, string Body, long? Version);

    [Test]
    public async Task Parallel_assign_unassign_and_close_on_one_conversation_lose_no_update()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var callers = await KeysAsync(Requests, _ => Factory);

        var outcomes = await RunAsync(conversation, callers, await OperatorIdsAsync());

        await VerifyAsync(conversation, outcomes);
    }

    [Test]
    public async Task Two_api_instances_on_one_database_lose_no_update()
    {
        // A second host in this process: own DI container, caches and connection pool, same database.
        await using var second = new ConvorApiFactory(Factory.Database, Settings);
        var conversation = Id(await CreateConversationAsync(Org));
        var callers = await KeysAsync(Requests, i => i % 2 == 0 ? Factory : second);

        var outcomes = await RunAsync(conversation, callers, await OperatorIdsAsync());

        await VerifyAsync(conversation, outcomes);
        outcomes.Count(o => o.Status == HttpStatusCode.OK).ShouldBeGreaterThan(0);
    }

    private async Task<string[]> OperatorIdsAsync() =>
        [Id(await CreateOperatorAsync(Org)), Id(await CreateOperatorAsync(Org)), Id(await CreateOperatorAsync(Org))];

    /// <summary>One key (and client) per request, each on the API instance <paramref name="host"/> picks.</summary>
    private async Task<List<TestOrganization>> KeysAsync(int count, Func<int, ConvorApiFactory> host)
    {
        var callers = new List<TestOrganization>(count);
        for (var i = 0; i < count; i++)
        {
            var key = await Factory.CreateKeyAsync(Org.OrgId);
            callers.Add(new TestOrganization(Org.OrgId, key.ApiKey, host(i), key.KeyId));
        }
        return callers;
    }

    /// <summary>
    /// Two waves on the same conversation. First 60 assign/unassign commands, 16 in flight at
    /// any time: sustained contention in which many changes win and many lose. Then the rest
    /// at once, a fifth of them closes: after the first close wins, every other command
    /// meets a closed conversation. Fixed seed: the same mix every run.
    /// </summary>
    private static async Task<List<Outcome>> RunAsync(string conversation, List<TestOrganization> callers, string[] operators)
    {
        const int FirstWave = 60;
        var random = new Random(4);
        var plan = callers.Select((caller, i) =>
        {
            var roll = random.Next(100);
            var kind = i >= FirstWave && roll < 20 ? Kind.Close : roll % 2 == 0 ? Kind.Assign : Kind.Unassign;
            return (Caller: caller, Kind: kind, Operator: kind == Kind.Assign ? operators[random.Next(operators.Length)] : null);
        }).ToList();

        var outcomes = new List<Outcome>(plan.Count);
        outcomes.AddRange(await SendAsync(conversation, plan[..FirstWave], inFlight: 16));
        outcomes.AddRange(await SendAsync(conversation, plan[FirstWave..], inFlight: plan.Count - FirstWave));
        return outcomes;
    }

    private static async Task<Outcome[]> SendAsync(
        string conversation, List<(TestOrganization Caller, Kind Kind, string? Operator)> steps, int inFlight)
    {
        using var gate = new SemaphoreSlim(0, inFlight);
        var running = steps.Select(async step =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = step.Kind switch
                {
                    Kind.Assign => await step.Caller.Client.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { operatorId = step.Operator }),
                    Kind.Unassign => await step.Caller.Client.PostAsync($"/api/conversations/{conversation}/unassign", null),
                    _ => await step.Caller.Client.PostAsync($"/api/conversations/{conversation}/close", null),
                };
                var version = response.Headers.ETag is { } etag ? long.Parse(etag.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
                return new Outcome(step.Kind, step.Operator, "apiKey:" + step.Caller.KeyId!.Value.ToString("D"),
                    response.StatusCode, await response.Content.ReadAsStringAsync(), version);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        gate.Release(inFlight); // all start together, then at most inFlight at a time
        return await Task.WhenAll(running);
    }

    private static string Answer(Outcome outcome) => outcome.Status == HttpStatusCode.OK
        ? "200"
        : $"{(int)outcome.Status} {JsonNode.Parse(outcome.Body)?["error"]?["code"]}";

    private async Task VerifyAsync(string conversation, List<Outcome> outcomes)
    {
        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
        var states = StoredActivityLog.StatesAfterEachRow(log); // also: versions 1..n, each change made on the state before it
        var rowsByActor = log.Skip(1).GroupBy(e => e.Actor).ToDictionary(g => g.Key, g => g.ToList());

        foreach (var outcome in outcomes)
        {
            var rows = rowsByActor.GetValueOrDefault(outcome.Actor) ?? [];
            if (outcome.Status == HttpStatusCode.Conflict)
            {
                var code = JsonNode.Parse(outcome.Body)!["error"]!["code"]!.GetValue<string>();
                code.ShouldBeOneOf("concurrency_conflict", "conversation_closed");
                rows.ShouldBeEmpty($"a refused {outcome.Kind} ({code}) wrote to the log");
                continue;
            }

            outcome.Status.ShouldBe(HttpStatusCode.OK, outcome.Body);
            rows.Count.ShouldBeLessThanOrEqualTo(1, "one request, one change at most");
            var version = outcome.Version.ShouldNotBeNull();
            var answered = JsonNode.Parse(outcome.Body)!.AsObject();
            // What the request answered is what the log says the conversation was at that version.
            StoredActivityLog.ShouldAgreeWith(states[(int)version - 1], answered);

            if (rows.Count == 1)
            {
                rows[0].Version.ShouldBe(version);
                rows[0].Type.ShouldBe(outcome.Kind switch { Kind.Assign => "assigned", Kind.Unassign => "unassigned", _ => "closed" });
            }
            else
            {
                // Answered 200 without a row: only correct if the command had nothing to do.
                var state = states[(int)version - 1];
                switch (outcome.Kind)
                {
                    case Kind.Assign:
                        (state["assignedOperatorId"]?.GetValue<string>()).ShouldBe(outcome.OperatorId);
                        state["status"]!.GetValue<string>().ShouldNotBe("closed");
                        break;
                    case Kind.Unassign:
                        state["assignedOperatorId"].ShouldBeNull();
                        state["status"]!.GetValue<string>().ShouldNotBe("closed");
                        break;
                    default:
                        state["status"]!.GetValue<string>().ShouldBe("closed");
                        break;
                }
            }
        }

        // Every change in the log was answered 200 to the request that made it.
        var succeeded = outcomes.Where(o => o.Status == HttpStatusCode.OK).Select(o => o.Actor).ToHashSet();
        rowsByActor.Keys.ShouldAllBe(actor => succeeded.Contains(actor));

        // The conversation is what the last row says, at the version the log counts.
        using var response = await Client.GetAsync($"/api/conversations/{conversation}");
        var final = await ShouldBeOkAsync(response);
        response.Headers.ETag!.Tag.ShouldBe($"\"{log.Count}\"");
        StoredActivityLog.ShouldAgreeWith(states[^1], final);
        await TestContext.Out.WriteLineAsync(
            $"{outcomes.Count} requests: {string.Join(", ", outcomes.GroupBy(Answer).Select(g => $"{g.Key} x{g.Count()}"))}; {log.Count - 1} changes logged");
    }
}
