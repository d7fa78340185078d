using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>A snooze whose end has passed counts as open in every read and filter, before and after the sweep writes it down.</summary>
public sealed class SnoozeExpiryTests(string database) : LifecycleApiTestBase(database)
{
    [Test]
    public async Task An_ended_snooze_reads_as_open_before_the_sweep_has_run()
    {
        var conversation = await CreateConversationAsync(Org);
        var snoozed = await SnoozeAsync(Org, Id(conversation), Now.AddMinutes(30));
        Clock.Advance(TimeSpan.FromMinutes(30));

        using var response = await Client.GetAsync($"/api/conversations/{Id(conversation)}");
        var body = await ShouldBeOkAsync(response);

        body["status"]!.GetValue<string>().ShouldBe("open");
        body["snoozedUntil"].ShouldBeNull();
        body["updatedAt"]!.GetValue<string>().ShouldBe(snoozed["updatedAt"]!.GetValue<string>()); // nothing was written yet
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
    }

    [Test]
    public async Task A_snooze_that_has_not_ended_still_reads_as_snoozed()
    {
        var conversation = await CreateConversationAsync(Org);
        await SnoozeAsync(Org, Id(conversation), Now.AddMinutes(30));
        Clock.Advance(TimeSpan.FromMinutes(29));

        (await GetConversationJsonAsync(Org, Id(conversation)))["status"]!.GetValue<string>().ShouldBe("snoozed");
    }

    [Test]
    public async Task Status_filters_put_an_ended_snooze_under_open_and_not_under_snoozed()
    {
        var ended = await CreateConversationAsync(Org);
        var running = await CreateConversationAsync(Org);
        var open = await CreateConversationAsync(Org);
        var closed = await CreateConversationAsync(Org);
        await SnoozeAsync(Org, Id(ended), Now.AddMinutes(5));
        await SnoozeAsync(Org, Id(running), Now.AddHours(5));
        await CloseAsync(Org, Id(closed));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var openPage = await ListAsync(Org, "status=open");
        var snoozedPage = await ListAsync(Org, "status=snoozed");

        Ids(openPage).ShouldBe([Id(open), Id(ended)], ignoreOrder: true);
        openPage["data"]!.AsArray().ShouldAllBe(c => c!["status"]!.GetValue<string>() == "open" && c["snoozedUntil"] == null);
        Ids(snoozedPage).ShouldBe([Id(running)]);
        Ids(await ListAsync(Org)).Count.ShouldBe(4);
    }

    [Test]
    public async Task The_sweep_writes_the_wake_down_as_reopened_by_the_system()
    {
        var conversation = await CreateConversationAsync(Org);
        await SnoozeAsync(Org, Id(conversation), Now.AddMinutes(5));
        Clock.Advance(TimeSpan.FromMinutes(6));

        (await SweepOnceAsync()).ShouldBeGreaterThanOrEqualTo(1);

        var body = await GetConversationJsonAsync(Org, Id(conversation));
        body["status"]!.GetValue<string>().ShouldBe("open");
        body["updatedAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
        var events = await EventsAsync(Org, Id(conversation));
        Types(events).ShouldBe(["created", "snoozed", "reopened"]);
        events[^1]!["actor"]!.GetValue<string>().ShouldBe("system");
        Canonical(events[^1]!["data"]).ShouldBe($$$"""{"before":{"status":"snoozed","snoozedUntil":"{{{Stamp(Now.AddMinutes(-1))}}}"},"after":{"status":"open","snoozedUntil":null}}""");
    }

    [Test]
    public async Task The_sweep_leaves_running_snoozes_and_writes_nothing_twice()
    {
        var ended = await CreateConversationAsync(Org);
        var running = await CreateConversationAsync(OtherOrg);
        await SnoozeAsync(Org, Id(ended), Now.AddMinutes(5));
        await SnoozeAsync(OtherOrg, Id(running), Now.AddDays(1));
        Clock.Advance(TimeSpan.FromMinutes(5));

        await SweepOnceAsync();
        (await SweepOnceAsync()).ShouldBe(0);

        Types(await EventsAsync(Org, Id(ended))).ShouldBe(["created", "snoozed", "reopened"]);
        (await GetConversationJsonAsync(OtherOrg, Id(running)))["status"]!.GetValue<string>().ShouldBe("snoozed");
        Types(await EventsAsync(OtherOrg, Id(running))).ShouldBe(["created", "snoozed"]);
    }

    [Test]
    public async Task A_command_after_the_end_wakes_the_conversation_first()
    {
        var conversation = await CreateConversationAsync(Org);
        await SnoozeAsync(Org, Id(conversation), Now.AddMinutes(5));
        Clock.Advance(TimeSpan.FromMinutes(6));

        using var response = await PatchAsync(Org, $"/api/conversations/{Id(conversation)}", new { priority = "high" });
        var body = await ShouldBeOkAsync(response);

        body["status"]!.GetValue<string>().ShouldBe("open");
        var events = await EventsAsync(Org, Id(conversation));
        Types(events).ShouldBe(["created", "snoozed", "reopened", "priority_changed"]);
        events[2]!["actor"]!.GetValue<string>().ShouldBe("system");
    }
}
