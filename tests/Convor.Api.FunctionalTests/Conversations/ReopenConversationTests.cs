using System.Net;
using System.Net.Http.Headers;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class ReopenConversationTests(string database) : LifecycleApiTestBase(database)
{
    [Test]
    public async Task Reopening_a_closed_conversation_opens_it_and_logs_who_did_it()
    {
        var key = await KeyOfOrgAsync();
        var conversation = await CreateConversationAsync(Org);
        await CloseAsync(Org, Id(conversation));
        Clock.Advance(TimeSpan.FromMinutes(1));

        using var response = await key.Client.PostAsync($"/api/conversations/{Id(conversation)}/reopen", null);
        var body = await ShouldBeOkAsync(response);

        body["status"]!.GetValue<string>().ShouldBe("open");
        body["resolvedBy"].ShouldBeNull();
        body["snoozedUntil"].ShouldBeNull();
        body["aiActive"]!.GetValue<bool>().ShouldBeTrue();
        body["updatedAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
        response.Headers.ETag.ShouldBe(new EntityTagHeaderValue("\"3\""));

        var reopened = (await EventsAsync(Org, Id(conversation)))[^1]!;
        reopened["type"]!.GetValue<string>().ShouldBe("reopened");
        reopened["actor"]!.GetValue<string>().ShouldBe($"apiKey:{key.KeyId}");
        Canonical(reopened["data"]).ShouldBe("""{"before":{"status":"closed","resolvedBy":"ai","aiActive":false},"after":{"status":"open","resolvedBy":null,"aiActive":true}}""");
        reopened["occurredAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
    }

    [Test]
    public async Task Reopening_a_snoozed_conversation_ends_the_snooze()
    {
        var conversation = await CreateConversationAsync(Org);
        await SnoozeAsync(Org, Id(conversation), Now.AddHours(2));

        var body = await ReopenAsync(Org, Id(conversation));

        body["status"]!.GetValue<string>().ShouldBe("open");
        body["snoozedUntil"].ShouldBeNull();
    }

    [Test]
    public async Task Reopening_an_open_conversation_changes_nothing_and_logs_nothing()
    {
        var conversation = await CreateConversationAsync(Org);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var body = await ReopenAsync(Org, Id(conversation));

        Canonical(body).ShouldBe(Canonical(conversation));
        Types(await EventsAsync(Org, Id(conversation))).ShouldBe(["created"]);
    }

    [Test]
    public async Task Reopening_an_ended_snooze_is_logged_once_as_done_by_the_system()
    {
        var conversation = await CreateConversationAsync(Org);
        await SnoozeAsync(Org, Id(conversation), Now.AddMinutes(5));
        Clock.Advance(TimeSpan.FromMinutes(10));

        var body = await ReopenAsync(Org, Id(conversation));

        body["status"]!.GetValue<string>().ShouldBe("open");
        var events = await EventsAsync(Org, Id(conversation));
        Types(events).ShouldBe(["created", "snoozed", "reopened"]);
        events[^1]!["actor"]!.GetValue<string>().ShouldBe("system");
    }

    [Test]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        var conversation = await CreateConversationAsync(Org);
        var closed = await CloseAsync(Org, Id(conversation));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{Id(conversation)}/reopen");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));

        using var response = await Client.SendAsync(request);

        await ShouldBeErrorAsync(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(closed));
    }

    [Test]
    public async Task The_current_if_match_passes()
    {
        var conversation = await CreateConversationAsync(Org);
        await CloseAsync(Org, Id(conversation));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{Id(conversation)}/reopen");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));

        using var response = await Client.SendAsync(request);

        (await ShouldBeOkAsync(response))["status"]!.GetValue<string>().ShouldBe("open");
    }

    [Test]
    public async Task An_unknown_conversation_is_404()
    {
        using var response = await Client.PostAsync($"/api/conversations/{Guid.NewGuid()}/reopen", null);

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
    }
}
