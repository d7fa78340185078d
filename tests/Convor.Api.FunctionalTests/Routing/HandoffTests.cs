using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Routing;

/// <summary><c>POST /api/conversations/{id}/handoff</c>: who routing picks, and what waiting means.</summary>
public sealed class HandoffTests(string database) : RoutingApiTestBase(database)
{
    [Test]
    public async Task With_nobody_online_the_conversation_waits_with_the_ai_off_and_one_handoff_requested_entry()
    {
        await OperatorAsync(Org, availability: "offline");
        var conversation = Id(await CreateConversationAsync(Org));

        var body = await HandoffAsync(Org, conversation);

        AssigneeOf(body).ShouldBeNull();
        body["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        body["status"]!.GetValue<string>().ShouldBe("open");
        var events = await EventsAsync(Org, conversation);
        events.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["created", "handoff_requested"]);
        events[1]!["data"]!["after"]!["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        (await WaitingAsync(Org)).ShouldBe([conversation]);
    }

    [Test]
    public async Task Asking_again_while_waiting_changes_nothing_and_keeps_the_place_in_the_queue()
    {
        var first = Id(await CreateConversationAsync(Org));
        var second = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, first);
        var waiting = await HandoffAsync(Org, second);

        var again = await HandoffAsync(Org, second);
        await HandoffAsync(Org, first);

        Canonical(again).ShouldBe(Canonical(waiting));
        (await EventsAsync(Org, second)).Count.ShouldBe(2);
        (await WaitingAsync(Org)).ShouldBe([first, second]);
    }

    [Test]
    public async Task An_available_operator_is_assigned_at_once_by_routing()
    {
        var op = await OperatorAsync(Org);
        var conversation = Id(await CreateConversationAsync(Org));

        using var response = await PostEmptyAsync(Org, $"/api/conversations/{conversation}/handoff");
        var body = await ShouldBeOkAsync(response);

        AssigneeOf(body).ShouldBe(op);
        body["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        var events = await EventsAsync(Org, conversation);
        events.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["created", "assigned"]);
        var assigned = events[1]!;
        assigned["actor"]!.GetValue<string>().ShouldBe("routing");
        assigned["data"]!["after"]!["via"]!.GetValue<string>().ShouldBe("routing");
        assigned["data"]!["after"]!["assignedOperatorId"]!.GetValue<string>().ShouldBe(op);
        (await WaitingAsync(Org)).ShouldBeEmpty();
        (await OpenConversationsAsync(Org, op)).ShouldBe(1);
    }

    [Test]
    public async Task A_closed_conversation_is_409_conversation_closed_and_changes_nothing()
    {
        await OperatorAsync(Org);
        var conversation = Id(await CreateConversationAsync(Org));
        using (await PostEmptyAsync(Org, $"/api/conversations/{conversation}/close")) { }
        var before = await GetConversationJsonAsync(Org, conversation);

        using var response = await PostEmptyAsync(Org, $"/api/conversations/{conversation}/handoff");

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "conversation_closed");
        Canonical(await GetConversationJsonAsync(Org, conversation)).ShouldBe(Canonical(before));
    }

    [Test]
    public async Task An_assigned_conversation_is_left_as_it_is()
    {
        var manual = Id(await CreateOperatorAsync(Org));
        await OperatorAsync(Org);
        var conversation = Id(await CreateConversationAsync(Org));
        var assigned = await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = manual });

        var body = await HandoffAsync(Org, conversation);

        Canonical(body).ShouldBe(Canonical(assigned));
        (await EventsAsync(Org, conversation)).Count.ShouldBe(2);
    }

    [Test]
    public async Task Routing_picks_the_fewest_open_conversations_then_the_longest_since_its_last_routed_assignment()
    {
        var a = await OperatorAsync(Org);
        var b = await OperatorAsync(Org);
        var c = await OperatorAsync(Org);
        // a holds one conversation by a person's decision: it is the most loaded.
        var manual = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{manual}/assign", new { operatorId = a });

        var picks = new List<string?>();
        for (var i = 0; i < 5; i++) picks.Add(AssigneeOf(await HandoffAsync(Org, Id(await CreateConversationAsync(Org)))));

        // b and c (0 open, never routed; b is older) → b, then c; all at 1 → a (never routed), then
        // b and c at 2 and a at 2 → the one routed longest ago: b, then c.
        picks.ShouldBe([b, c, a, b, c]);
    }

    [Test]
    public async Task Away_offline_inactive_and_full_operators_are_never_picked()
    {
        await OperatorAsync(Org, availability: "away");
        await OperatorAsync(Org, availability: "offline");
        var inactive = await OperatorAsync(Org);
        await PatchOperatorAsync(Org, inactive, new { active = false });
        var full = await OperatorAsync(Org, max: 1);
        var held = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{held}/assign", new { operatorId = full });

        var body = await HandoffAsync(Org, Id(await CreateConversationAsync(Org)));

        AssigneeOf(body).ShouldBeNull();
        (await WaitingAsync(Org)).Count.ShouldBe(1);
    }

    [Test]
    public async Task Routing_never_picks_an_operator_of_another_organization()
    {
        var theirs = await OperatorAsync(OtherOrg);
        var conversation = Id(await CreateConversationAsync(Org));

        var body = await HandoffAsync(Org, conversation);

        AssigneeOf(body).ShouldBeNull();
        (await OpenConversationsAsync(OtherOrg, theirs)).ShouldBe(0);
        (await WaitingAsync(Org)).ShouldBe([conversation]);
    }

    [Test]
    public async Task The_waiting_list_never_shows_another_organizations_conversations()
    {
        var theirs = Id(await CreateConversationAsync(OtherOrg));
        await HandoffAsync(OtherOrg, theirs);
        var mine = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, mine);

        (await WaitingAsync(Org)).ShouldBe([mine]);
        (await WaitingAsync(OtherOrg)).ShouldBe([theirs]);
    }

    [Test]
    public async Task Handoff_of_another_organizations_conversation_is_404_and_changes_nothing()
    {
        var theirs = Id(await CreateConversationAsync(OtherOrg));
        await OperatorAsync(Org);

        using var response = await PostEmptyAsync(Org, $"/api/conversations/{theirs}/handoff");

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
        using var unknown = await PostEmptyAsync(Org, $"/api/conversations/{Guid.CreateVersion7()}/handoff");
        error["message"]!.GetValue<string>().ShouldBe((await ShouldBeErrorAsync(unknown, HttpStatusCode.NotFound, "conversation_not_found"))["message"]!.GetValue<string>());
        (await EventsAsync(OtherOrg, theirs)).Count.ShouldBe(1);
    }

    [Test]
    public async Task The_waiting_list_is_oldest_request_first_pages_with_its_own_cursor_and_combines_with_other_filters()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Id(await CreateConversationAsync(Org, new { channel = i == 1 ? "email" : "widget" }));
            ids.Insert(0, id); // created newest first…
        }
        foreach (var id in ids) await HandoffAsync(Org, id); // …but asked for a human in this order

        using var first = await Org.Client.GetAsync("/api/conversations?waiting=true&limit=2");
        var page = await ShouldBeOkAsync(first);
        page["data"]!.AsArray().Select(c => Id(c!.AsObject())).ShouldBe(ids[..2]);
        using var second = await Org.Client.GetAsync($"/api/conversations?waiting=true&limit=2&cursor={Uri.EscapeDataString(page["nextCursor"]!.GetValue<string>())}");
        var rest = await ShouldBeOkAsync(second);
        rest["data"]!.AsArray().Select(c => Id(c!.AsObject())).ShouldBe(ids[2..]);
        rest["nextCursor"].ShouldBeNull();

        using var email = await Org.Client.GetAsync("/api/conversations?waiting=true&channel=email");
        (await ShouldBeOkAsync(email))["data"]!.AsArray().Count.ShouldBe(1);
        using var plain = await Org.Client.GetAsync($"/api/conversations?limit=2&cursor={Uri.EscapeDataString(page["nextCursor"]!.GetValue<string>())}");
        await ShouldBeErrorAsync(plain, HttpStatusCode.BadRequest, "validation_error");
    }

    [Test]
    public async Task A_person_may_assign_above_the_maximum_routing_never_does()
    {
        var op = await OperatorAsync(Org, max: 1);
        var first = Id(await CreateConversationAsync(Org));
        var second = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{first}/assign", new { operatorId = op });
        await PostAsync(Org, $"/api/conversations/{second}/assign", new { operatorId = op });

        (await OpenConversationsAsync(Org, op)).ShouldBe(2);
        AssigneeOf(await HandoffAsync(Org, Id(await CreateConversationAsync(Org)))).ShouldBeNull();
    }

    [Test]
    public async Task Assigning_a_waiting_conversation_by_hand_takes_it_out_of_the_queue()
    {
        var op = Id(await CreateOperatorAsync(Org));
        var conversation = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, conversation);

        await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = op });

        (await WaitingAsync(Org)).ShouldBeEmpty();
    }

    [Test]
    public async Task Closing_a_waiting_conversation_takes_it_out_of_the_queue()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, conversation);

        using (await PostEmptyAsync(Org, $"/api/conversations/{conversation}/close")) { }
        await OperatorAsync(Org);

        (await WaitingAsync(Org)).ShouldBeEmpty();
        await ShouldBeAssignedToAsync(Org, conversation, null);
    }
}
