using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Routing;

/// <summary>The waiting queue drains by itself, oldest first, when capacity appears; and what an operator's load is.</summary>
public sealed class WaitingQueueTests(string database) : RoutingApiTestBase(database)
{
    private async Task<List<string>> WaitingConversationsAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Id(await CreateConversationAsync(Org));
            await HandoffAsync(Org, id);
            ids.Add(id);
        }
        (await WaitingAsync(Org)).ShouldBe(ids);
        return ids;
    }

    [Test]
    public async Task An_operator_going_online_drains_the_queue_oldest_first_up_to_its_maximum()
    {
        var op = await OperatorAsync(Org, availability: "offline", max: 2);
        var waiting = await WaitingConversationsAsync(3);

        await PatchOperatorAsync(Org, op, new { availability = "online" });

        await EventuallyAsync(async () => (await WaitingAsync(Org)).Count == 1, "two of three waiting conversations routed");
        (await WaitingAsync(Org)).ShouldBe([waiting[2]]);
        await ShouldBeAssignedToAsync(Org, waiting[0], op);
        await ShouldBeAssignedToAsync(Org, waiting[1], op);
        var routed = (await EventsAsync(Org, waiting[0]))[^1]!;
        routed["type"]!.GetValue<string>().ShouldBe("assigned");
        routed["actor"]!.GetValue<string>().ShouldBe("routing");
        routed["data"]!["after"]!["via"]!.GetValue<string>().ShouldBe("routing");
        (await OpenConversationsAsync(Org, op)).ShouldBe(2);
    }

    [Test]
    public async Task A_raised_maximum_drains_as_many_as_the_new_room()
    {
        var op = await OperatorAsync(Org, max: 1);
        var held = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, held);
        var waiting = await WaitingConversationsAsync(3);

        await PatchOperatorAsync(Org, op, new { maxConversations = 3 });

        await EventuallyAsync(async () => (await WaitingAsync(Org)).Count == 1, "two more routed");
        (await WaitingAsync(Org)).ShouldBe([waiting[2]]);
        (await OpenConversationsAsync(Org, op)).ShouldBe(3);
    }

    [TestCase("close")]
    [TestCase("unassign")]
    public async Task Closing_or_unassigning_one_of_a_full_operators_conversations_routes_the_oldest_waiting_to_it(string command)
    {
        var op = await OperatorAsync(Org, max: 1);
        var held = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, held);
        var waiting = await WaitingConversationsAsync(2);

        using (var response = await PostEmptyAsync(Org, $"/api/conversations/{held}/{command}")) await ShouldBeOkAsync(response);

        await EventuallyAsync(async () => (await WaitingAsync(Org)).Count == 1, "the oldest waiting conversation routed");
        (await WaitingAsync(Org)).ShouldBe([waiting[1]]);
        await ShouldBeAssignedToAsync(Org, waiting[0], op);
    }

    [Test]
    public async Task Handing_a_conversation_to_another_operator_frees_room_for_the_queue()
    {
        var op = await OperatorAsync(Org, max: 1);
        var other = Id(await CreateOperatorAsync(Org));
        var held = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, held);
        var waiting = await WaitingConversationsAsync(1);

        await PostAsync(Org, $"/api/conversations/{held}/assign", new { operatorId = other });

        await EventuallyAsync(async () => (await WaitingAsync(Org)).Count == 0, "the waiting conversation routed");
        await ShouldBeAssignedToAsync(Org, waiting[0], op);
    }

    [TestCase("offline")]
    [TestCase("away")]
    [TestCase("deactivated")]
    public async Task An_operator_that_goes_offline_or_is_deactivated_receives_nothing_more_and_keeps_its_conversations(string change)
    {
        var op = await OperatorAsync(Org);
        var kept = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, kept);

        await PatchOperatorAsync(Org, op, change == "deactivated" ? new { active = false } : new { availability = change });
        var later = Id(await CreateConversationAsync(Org));
        var body = await HandoffAsync(Org, later);

        AssigneeOf(body).ShouldBeNull();
        await ShouldBeAssignedToAsync(Org, kept, op);
        (await OpenConversationsAsync(Org, op)).ShouldBe(1);
        (await WaitingAsync(Org)).ShouldBe([later]);
    }

    [Test]
    public async Task A_waiting_conversation_is_never_routed_to_another_organizations_operator()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await HandoffAsync(Org, conversation);
        var theirs = await OperatorAsync(OtherOrg, availability: "offline");

        await PatchOperatorAsync(OtherOrg, theirs, new { availability = "online" });
        var mine = await OperatorAsync(Org);

        // Routed to this organization's operator as soon as it is online; never to the other one.
        await EventuallyAsync(async () => (await WaitingAsync(Org)).Count == 0, "routed to the organization's own operator");
        await ShouldBeAssignedToAsync(Org, conversation, mine);
        (await OpenConversationsAsync(OtherOrg, theirs)).ShouldBe(0);
    }

    [Test]
    public async Task Open_conversations_follow_assign_unassign_close_and_reopen()
    {
        var op = Id(await CreateOperatorAsync(Org));
        var first = Id(await CreateConversationAsync(Org));
        var second = Id(await CreateConversationAsync(Org));
        (await OpenConversationsAsync(Org, op)).ShouldBe(0);

        await PostAsync(Org, $"/api/conversations/{first}/assign", new { operatorId = op });
        (await OpenConversationsAsync(Org, op)).ShouldBe(1);
        await PostAsync(Org, $"/api/conversations/{second}/assign", new { operatorId = op });
        (await OpenConversationsAsync(Org, op)).ShouldBe(2);
        using (await PostEmptyAsync(Org, $"/api/conversations/{second}/unassign")) { }
        (await OpenConversationsAsync(Org, op)).ShouldBe(1);
        using (await PostEmptyAsync(Org, $"/api/conversations/{first}/close")) { }
        (await OpenConversationsAsync(Org, op)).ShouldBe(0);
        using (await PostEmptyAsync(Org, $"/api/conversations/{first}/reopen")) { }
        (await OpenConversationsAsync(Org, op)).ShouldBe(1);

        using var list = await Org.Client.GetAsync("/api/operators?limit=100");
        (await ShouldBeOkAsync(list))["data"]!.AsArray().Single(o => Id(o!.AsObject()) == op)!["openConversations"]!.GetValue<int>().ShouldBe(1);
        using var patch = await Org.Client.PatchAsJsonAsync($"/api/operators/{op}", new { name = "Renamed" });
        (await ShouldBeOkAsync(patch))["openConversations"]!.GetValue<int>().ShouldBe(1);
    }

    [Test]
    public async Task A_snoozed_conversation_counts_in_its_operators_load()
    {
        var op = Id(await CreateOperatorAsync(Org));
        var conversation = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = op });

        await PostAsync(Org, $"/api/conversations/{conversation}/snooze", new { until = DateTimeOffset.UtcNow.AddHours(1) });

        (await OpenConversationsAsync(Org, op)).ShouldBe(1);
    }
}
