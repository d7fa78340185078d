using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Hostile;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>
/// Every version of a conversation has exactly one activity-log entry, whatever command made
/// it: the invariant a write path that trusts the version alone relies on. Each step below is
/// one command through HTTP (real changes, no-ops and refusals); after each, the stored log
/// must hold exactly the versions 1..ETag, one row each.
/// </summary>
public sealed class ActivityLogInvariantTests(string database) : LifecycleApiTestBase(database)
{
    private sealed record Step(string Route, string Description, Func<string, Task<HttpResponseMessage>> Send);

    [Test]
    public async Task Every_command_leaves_exactly_one_activity_entry_per_version()
    {
        var first = Id(await CreateOperatorAsync(Org));
        var second = Id(await CreateOperatorAsync(Org));
        var conversation = await CreateConversationAsync(Org, new { channel = "widget", metadata = new { subject = "Start" } });
        var id = Id(conversation);
        string Path(string tail) => $"/api/conversations/{id}{tail}";
        Task<HttpResponseMessage> Post(string tail, object? body) =>
            body is null ? Client.PostAsync(Path(tail), null) : Client.PostAsJsonAsync(Path(tail), body);

        var steps = new List<Step>
        {
            new("POST api/conversations/{id}/assign", "assign", _ => Post("/assign", new { operatorId = first })),
            new("POST api/conversations/{id}/assign", "assign the same operator (no-op)", _ => Post("/assign", new { operatorId = first })),
            new("POST api/conversations/{id}/messages", "the assigned operator writes", _ => Post("/messages", new { author = "operator", operatorId = first, body = "Hi" })),
            new("POST api/conversations/{id}/messages", "another operator writes (refused)", _ => Post("/messages", new { author = "operator", operatorId = second, body = "Hi" })),
            new("POST api/conversations/{id}/messages", "the ai writes after the take-over (refused)", _ => Post("/messages", new { author = "ai", body = "Hi" })),
            new("POST api/conversations/{id}/unassign", "unassign", _ => Post("/unassign", null)),
            new("POST api/conversations/{id}/unassign", "unassign again (no-op)", _ => Post("/unassign", null)),
            new("POST api/conversations/{id}/messages", "the ai writes", _ => Post("/messages", new { author = "ai", body = "Hello" })),
            new("POST api/conversations/{id}/handoff", "handoff with nobody online (waiting)", _ => Post("/handoff", null)),
            new("POST api/conversations/{id}/handoff", "handoff while waiting (no-op)", _ => Post("/handoff", null)),
            new("POST api/conversations/{id}/messages", "an operator takes it by writing (two versions)", _ => Post("/messages", new { author = "operator", operatorId = second, body = "Taking over" })),
            new("PATCH api/conversations/{id}", "priority", _ => Client.PatchAsJsonAsync(Path(""), new { priority = "high" })),
            new("PATCH api/conversations/{id}", "priority and metadata (two versions)", _ => Client.PatchAsJsonAsync(Path(""), new { priority = "low", metadata = new { subject = "Next" } })),
            new("PATCH api/conversations/{id}", "the same values (no-op)", _ => Client.PatchAsJsonAsync(Path(""), new { priority = "low", metadata = new { subject = "Next" } })),
            new("POST api/conversations/{id}/snooze", "snooze", _ => Post("/snooze", new { until = Stamp(Now.AddMinutes(10)) })),
            new("POST api/conversations/{id}/messages", "a system note keeps it snoozed", _ => Post("/messages", new { author = "system", body = "Note" })),
            new("POST api/conversations/{id}/messages", "the visitor writes (reopen + message)", _ => Post("/messages", new { author = "visitor", body = "Still there?" })),
            new("POST api/conversations/{id}/snooze", "snooze again", _ => Post("/snooze", new { until = Stamp(Now.AddMinutes(1)) })),
            new("POST api/conversations/{id}/reopen", "reopen", _ => Post("/reopen", null)),
            new("POST api/conversations/{id}/reopen", "reopen an open one (no-op)", _ => Post("/reopen", null)),
            new("POST api/conversations/{id}/snooze", "snooze a third time", _ => Post("/snooze", new { until = Stamp(Now.AddMinutes(1)) })),
            new("POST api/conversations/{id}/close", "close after the snooze ended (system reopen + close)", _ => { Clock.Advance(TimeSpan.FromMinutes(2)); return Post("/close", null); }),
            new("POST api/conversations/{id}/close", "close again (no-op)", _ => Post("/close", new { resolvedBy = "operator" })),
            new("POST api/conversations/{id}/messages", "the ai writes in a closed one (refused)", _ => Post("/messages", new { author = "ai", body = "Bye" })),
            new("POST api/conversations/{id}/assign", "assign a closed one (refused)", _ => Post("/assign", new { operatorId = first })),
            new("POST api/conversations/{id}/messages", "the visitor writes in a closed one (reopen + message)", _ => Post("/messages", new { author = "visitor", body = "Again" })),
            new("POST api/conversations/{id}/unassign", "unassign before a routed handoff", _ => Post("/unassign", null)),
            new("POST api/conversations/{id}/handoff", "handoff routed to the operator that came online", async _ =>
            {
                using var online = await Client.PatchAsJsonAsync($"/api/operators/{first}", new { availability = "online" });
                online.EnsureSuccessStatusCode();
                return await Post("/handoff", null);
            }),
            new("POST api/conversations/{id}/snooze", "a snooze the sweep wakes", _ => Post("/snooze", new { until = Stamp(Now.AddMinutes(1)) })),
        };

        // A command added later fails here until a step exercises it.
        var commands = ApiRoutes.All(Factory)
            .Where(r => r.Template.StartsWith("api/conversations/{id}", StringComparison.Ordinal) && r.Method is "POST" or "PATCH")
            .Select(r => $"{r.Method} {r.Template}");
        commands.ShouldBeSubsetOf(steps.Select(s => s.Route).Distinct(), "every conversation command needs a step in this test");

        await ShouldHaveOneEntryPerVersionAsync(id, "create");
        foreach (var step in steps)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            using var response = await step.Send(id);
            ((int)response.StatusCode).ShouldBeLessThan(500, step.Description);
            await ShouldHaveOneEntryPerVersionAsync(id, step.Description);
        }
        Clock.Advance(TimeSpan.FromMinutes(2));
        (await SweepOnceAsync()).ShouldBe(1);
        await ShouldHaveOneEntryPerVersionAsync(id, "the snooze sweep");
    }

    private async Task ShouldHaveOneEntryPerVersionAsync(string conversationId, string after)
    {
        using var response = await Client.GetAsync($"/api/conversations/{conversationId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = long.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversationId));
        log.Select(e => e.Version).ShouldBe(Enumerable.Range(1, (int)version).Select(v => (long)v), $"after {after}: one entry per version 1..{version}");
    }
}
