using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class ConversationEventsTests(string database) : LifecycleApiTestBase(database)
{
    [Test]
    public async Task Every_kind_of_change_is_logged_oldest_first_with_its_actor_time_and_changed_fields()
    {
        var key = await KeyOfOrgAsync();
        var op = await CreateOperatorAsync(Org);
        var conversation = await CreateConversationAsync(key);
        var id = Id(conversation);
        var path = $"/api/conversations/{id}";
        var times = new List<DateTimeOffset> { Now };

        async Task Step(Func<Task> command)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            times.Add(Now);
            await command();
        }
        await Step(() => PostAsync(key, $"{path}/assign", new { operatorId = Id(op) }));
        await Step(() => SnoozeAsync(key, id, Now.AddHours(1)));
        await Step(() => ReopenAsync(key, id));
        await Step(async () => (await PatchAsync(key, path, new { priority = "high" })).Dispose());
        await Step(async () => (await PatchAsync(key, path, new { metadata = new { topic = "refund" } })).Dispose());
        await Step(async () => (await key.Client.PostAsync($"{path}/unassign", null)).Dispose());
        await Step(() => CloseAsync(key, id));

        var events = await EventsAsync(Org, id);

        Types(events).ShouldBe(["created", "assigned", "snoozed", "reopened", "priority_changed", "metadata_changed", "unassigned", "closed"]);
        events.Select(e => e!["occurredAt"]!.GetValue<string>()).ShouldBe(times.Select(Stamp));
        events.ShouldAllBe(e => e!["actor"]!.GetValue<string>() == $"apiKey:{key.KeyId}");
        events.ShouldAllBe(e => e!["conversationId"]!.GetValue<string>() == id);
        events.Select(e => e!["id"]!.GetValue<string>()).Distinct().Count().ShouldBe(8);
        events[0]!.AsObject().Select(p => p.Key).ShouldBe(["id", "conversationId", "type", "actor", "data", "occurredAt"]);
        Canonical(events[1]!["data"]).ShouldBe($$$"""{"before":{"assignedOperatorId":null,"aiActive":true},"after":{"assignedOperatorId":"{{{Id(op)}}}","aiActive":false}}""");
        Canonical(events[3]!["data"]).ShouldBe($$$"""{"before":{"status":"snoozed","snoozedUntil":"{{{Stamp(times[2].AddHours(1))}}}"},"after":{"status":"open","snoozedUntil":null}}""");
        Canonical(events[5]!["data"]).ShouldBe("""{"before":{"metadata":{}},"after":{"metadata":{"topic":"refund"}}}""");
        Canonical(events[6]!["data"]).ShouldBe($$$"""{"before":{"assignedOperatorId":"{{{Id(op)}}}","aiActive":false},"after":{"assignedOperatorId":null,"aiActive":true}}""");
        Canonical(events[7]!["data"]).ShouldBe("""{"before":{"status":"open","resolvedBy":null,"aiActive":true},"after":{"status":"closed","resolvedBy":"ai","aiActive":false}}""");
    }

    [Test]
    public async Task Commands_that_change_nothing_write_nothing()
    {
        var op = await CreateOperatorAsync(Org);
        var id = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{id}/assign", new { operatorId = Id(op) });
        await SnoozeAsync(Org, id, Now.AddHours(1));
        await CloseAsync(Org, id);
        var logged = await EventsAsync(Org, id);

        await PostAsync(Org, $"/api/conversations/{id}/reopen", new { });
        await PostAsync(Org, $"/api/conversations/{id}/assign", new { operatorId = Id(op) });
        (await PatchAsync(Org, $"/api/conversations/{id}", new { priority = "normal" })).Dispose();
        await ReopenAsync(Org, id);
        await CloseAsync(Org, id);
        await CloseAsync(Org, id);

        Types(await EventsAsync(Org, id)).ShouldBe([.. Types(logged), "reopened", "closed"]);
    }

    [Test]
    public async Task The_log_is_paged_by_limit_and_cursor()
    {
        var id = Id(await CreateConversationAsync(Org));
        foreach (var priority in new[] { "low", "high", "urgent", "normal" })
            (await PatchAsync(Org, $"/api/conversations/{id}", new { priority })).Dispose();

        using var first = await Client.GetAsync($"/api/conversations/{id}/events?limit=2");
        var firstPage = await ShouldBeOkAsync(first);
        using var second = await Client.GetAsync($"/api/conversations/{id}/events?limit=2&cursor={Uri.EscapeDataString(firstPage["nextCursor"]!.GetValue<string>())}");
        var secondPage = await ShouldBeOkAsync(second);
        using var third = await Client.GetAsync($"/api/conversations/{id}/events?limit=2&cursor={Uri.EscapeDataString(secondPage["nextCursor"]!.GetValue<string>())}");
        var thirdPage = await ShouldBeOkAsync(third);

        firstPage.Select(p => p.Key).ShouldBe(["data", "nextCursor"]);
        Types(firstPage["data"]!.AsArray()).ShouldBe(["created", "priority_changed"]);
        Types(secondPage["data"]!.AsArray()).ShouldBe(["priority_changed", "priority_changed"]);
        Types(thirdPage["data"]!.AsArray()).ShouldBe(["priority_changed"]);
        thirdPage["nextCursor"].ShouldBeNull();
        (await EventsAsync(Org, id)).Count.ShouldBe(5);
    }

    [Test]
    public async Task A_cursor_of_another_conversation_or_a_bad_limit_is_400()
    {
        var a = Id(await CreateConversationAsync(Org));
        var b = Id(await CreateConversationAsync(Org));
        (await PatchAsync(Org, $"/api/conversations/{a}", new { priority = "low" })).Dispose();
        using var page = await Client.GetAsync($"/api/conversations/{a}/events?limit=1");
        var cursor = (await ShouldBeOkAsync(page))["nextCursor"]!.GetValue<string>();

        using var foreign = await Client.GetAsync($"/api/conversations/{b}/events?cursor={Uri.EscapeDataString(cursor)}");
        using var badLimit = await Client.GetAsync($"/api/conversations/{a}/events?limit=0");

        await ShouldBeValidationErrorOnAsync(foreign, "cursor", "was issued for a different list or filter set");
        await ShouldBeValidationErrorOnAsync(badLimit, "limit", "must be between 1 and 100");
    }

    [Test]
    public async Task An_unknown_conversation_is_404()
    {
        using var response = await Client.GetAsync($"/api/conversations/{Guid.NewGuid()}/events");

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
    }
}
