using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class SnoozeConversationTests(string database) : LifecycleApiTestBase(database)
{
    [Test]
    public async Task Snoozing_sets_the_status_and_the_end_and_logs_it()
    {
        var op = await CreateOperatorAsync(Org);
        var conversation = await CreateConversationAsync(Org);
        await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });
        var until = Now.AddHours(3);

        var body = await SnoozeAsync(Org, Id(conversation), until);

        body["status"]!.GetValue<string>().ShouldBe("snoozed");
        body["snoozedUntil"]!.GetValue<string>().ShouldBe(Stamp(until));
        body["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
        body["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        var snoozed = (await EventsAsync(Org, Id(conversation)))[^1]!;
        snoozed["type"]!.GetValue<string>().ShouldBe("snoozed");
        Canonical(snoozed["data"]).ShouldBe($$$"""{"before":{"status":"open","snoozedUntil":null},"after":{"status":"snoozed","snoozedUntil":"{{{Stamp(until)}}}"}}""");
    }

    [Test]
    public async Task An_until_with_another_offset_is_stored_in_utc()
    {
        var conversation = await CreateConversationAsync(Org);

        var body = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/snooze", new { until = "2026-06-23T12:00:00.000+02:00" });

        body["snoozedUntil"]!.GetValue<string>().ShouldBe("2026-06-23T10:00:00.000Z");
    }

    [Test]
    public async Task Snoozing_to_the_same_end_again_changes_nothing()
    {
        var conversation = await CreateConversationAsync(Org);
        var first = await SnoozeAsync(Org, Id(conversation), Now.AddHours(1));
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await SnoozeAsync(Org, Id(conversation), Now.AddMinutes(59));

        Canonical(again).ShouldBe(Canonical(first));
        Types(await EventsAsync(Org, Id(conversation))).ShouldBe(["created", "snoozed"]);
    }

    [TestCase(0)]
    [TestCase(-60)]
    public async Task An_end_that_is_not_in_the_future_is_400_on_until(int secondsFromNow)
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/snooze", new { until = Stamp(Now.AddSeconds(secondsFromNow)) });

        await ShouldBeValidationErrorOnAsync(response, "until", "must be in the future");
        (await GetConversationJsonAsync(Org, Id(conversation)))["status"]!.GetValue<string>().ShouldBe("open");
    }

    [Test]
    public async Task A_missing_end_is_400_on_until()
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/snooze", Json("{}"));

        await ShouldBeValidationErrorOnAsync(response, "until", "is required");
    }

    [TestCase("\"2026-06-23T12:00:00\"")]
    [TestCase("\"tomorrow\"")]
    [TestCase("1782208800")]
    public async Task An_end_that_is_not_an_rfc_3339_timestamp_is_400_on_until(string until)
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/snooze", Json("{\"until\":" + until + "}"));

        await ShouldBeValidationErrorOnAsync(response, "until");
    }

    [Test]
    public async Task Snoozing_a_closed_conversation_is_409_conversation_closed()
    {
        var conversation = await CreateConversationAsync(Org);
        var closed = await CloseAsync(Org, Id(conversation));

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/snooze", new { until = Stamp(Now.AddHours(1)) });

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "conversation_closed");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(closed));
    }

    [Test]
    public async Task A_body_that_is_not_json_is_415()
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/snooze",
            new StringContent("until=tomorrow", System.Text.Encoding.UTF8, "text/plain"));

        await ShouldBeErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Test]
    public async Task An_unknown_conversation_is_404()
    {
        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/snooze", new { until = Stamp(Now.AddHours(1)) });

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
    }
}
