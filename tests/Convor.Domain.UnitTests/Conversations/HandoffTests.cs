using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Routing;

namespace Convor.Domain.UnitTests.Conversations;

/// <summary>The AI asks for a human: routed at once, or waiting; and the queue draining.</summary>
public sealed class HandoffTests
{
    private readonly ConversationScenario _scenario = new();

    private Operator Online(int max = 5)
    {
        var @operator = _scenario.ActiveOperator();
        @operator.Update(null, null, null, _scenario.Now, OperatorAvailability.Online, max);
        @operator.ClearDomainEvents();
        return @operator;
    }

    [Test]
    public void With_an_available_operator_routing_assigns_it_with_actor_routing_and_via_routing()
    {
        var conversation = _scenario.Open();
        var @operator = Online();
        var version = @operator.Version;

        conversation.RequestHandoff([new RoutingCandidate(@operator, 0)], _scenario.Now).ShouldBeTrue();

        conversation.AssignedOperatorId.ShouldBe(@operator.Id);
        conversation.AiActive.ShouldBeFalse();
        conversation.IsWaiting.ShouldBeFalse();
        var assigned = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>();
        assigned.Actor.ShouldBe(ActivityActor.Routing);
        assigned.Changes.ShouldContain(new FieldChange("via", null, "routing"));
        assigned.Changes.ShouldContain(new FieldChange("aiActive", true, false));
        @operator.LastRoutedAt.ShouldBe(_scenario.Now);
        @operator.Version.ShouldBe(version + 1, "the operator's version is the capacity check");
    }

    [Test]
    public void With_nobody_available_the_conversation_waits_with_the_ai_off_and_one_handoff_requested_event()
    {
        var conversation = _scenario.Open();
        var full = Online(max: 1);

        conversation.RequestHandoff([new RoutingCandidate(full, 1)], _scenario.Now).ShouldBeTrue();

        conversation.AssignedOperatorId.ShouldBeNull();
        conversation.AiActive.ShouldBeFalse();
        conversation.IsWaiting.ShouldBeTrue();
        conversation.WaitingSince.ShouldBe(_scenario.Now);
        conversation.Version.ShouldBe(2);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<HandoffRequested>()
            .Changes.ShouldBe([new FieldChange("aiActive", true, false)]);
        full.Version.ShouldBe(2, "created at 1, raised by the update; routing to nobody leaves it");
    }

    [Test]
    public void Asking_again_while_waiting_changes_nothing_and_keeps_the_time_of_the_first_request()
    {
        var conversation = _scenario.Open();
        conversation.RequestHandoff([], _scenario.Now);
        var requestedAt = conversation.WaitingSince;
        conversation.ClearDomainEvents();
        _scenario.Clock.Advance(TimeSpan.FromMinutes(5));
        var before = ConversationState.Of(conversation);

        conversation.RequestHandoff([], _scenario.Now).ShouldBeFalse();

        ConversationState.Of(conversation).ShouldBe(before);
        conversation.WaitingSince.ShouldBe(requestedAt);
    }

    [Test]
    public void An_assigned_conversation_is_left_as_it_is()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        var before = ConversationState.Of(conversation);

        conversation.RequestHandoff([new RoutingCandidate(Online(), 0)], _scenario.Now).ShouldBeFalse();

        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void A_closed_conversation_refuses_the_handoff()
    {
        var conversation = _scenario.Closed();

        Should.Throw<ConversationClosedException>(() => conversation.RequestHandoff([], _scenario.Now));
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void A_snoozed_conversation_is_routed_and_stays_snoozed()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));

        conversation.RequestHandoff([new RoutingCandidate(Online(), 0)], _scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
    }

    [Test]
    public void Routing_never_picks_an_operator_of_another_organization()
    {
        var conversation = _scenario.Open();
        var foreign = _scenario.OperatorOfAnotherOrganization();
        foreign.Update(null, null, null, _scenario.Now, OperatorAvailability.Online);

        conversation.RequestHandoff([new RoutingCandidate(foreign, 0)], _scenario.Now);

        conversation.AssignedOperatorId.ShouldBeNull();
        conversation.IsWaiting.ShouldBeTrue();
    }

    [Test]
    public void The_queue_routes_a_waiting_conversation_when_someone_has_room_and_it_leaves_the_queue()
    {
        var conversation = _scenario.Open();
        conversation.RequestHandoff([], _scenario.Now);
        conversation.ClearDomainEvents();
        var @operator = Online();

        conversation.RouteWaiting([new RoutingCandidate(@operator, 0)], _scenario.Now).ShouldBeTrue();

        conversation.AssignedOperatorId.ShouldBe(@operator.Id);
        conversation.IsWaiting.ShouldBeFalse();
        conversation.WaitingSince.ShouldBeNull();
        var assigned = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>();
        assigned.Actor.ShouldBe(ActivityActor.Routing);
        assigned.Changes.ShouldBe([new FieldChange("assignedOperatorId", null, @operator.Id.Value), new FieldChange("via", null, "routing")]);
    }

    [Test]
    public void The_queue_leaves_a_conversation_that_is_not_waiting_or_finds_nobody()
    {
        var notWaiting = _scenario.Open();
        notWaiting.RouteWaiting([new RoutingCandidate(Online(), 0)], _scenario.Now).ShouldBeFalse();
        notWaiting.DomainEvents.ShouldBeEmpty();

        var waiting = _scenario.Open();
        waiting.RequestHandoff([], _scenario.Now);
        waiting.ClearDomainEvents();
        waiting.RouteWaiting([new RoutingCandidate(Online(max: 1), 1)], _scenario.Now).ShouldBeFalse();
        waiting.IsWaiting.ShouldBeTrue();
        waiting.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void Assigning_or_closing_a_waiting_conversation_takes_it_out_of_the_queue()
    {
        var assigned = _scenario.Open();
        assigned.RequestHandoff([], _scenario.Now);
        assigned.AssignOperator(_scenario.ActiveOperator(), _scenario.Now);
        assigned.IsWaiting.ShouldBeFalse();
        assigned.WaitingSince.ShouldBeNull();

        var closed = _scenario.Open();
        closed.RequestHandoff([], _scenario.Now);
        closed.Close(null, _scenario.Now);
        closed.IsWaiting.ShouldBeFalse();
        closed.WaitingSince.ShouldBeNull();
    }

    [Test]
    public void A_persons_assignment_leaves_the_operators_version_and_round_robin_time_to_be_checked_on_save()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.Open();

        conversation.AssignOperator(@operator, _scenario.Now).ShouldBeTrue();

        @operator.Version.ShouldBe(1);
        @operator.LastRoutedAt.ShouldBeNull("only routing moves the round robin");
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>().OperatorId.ShouldBe(@operator.Id);
    }

    [Test]
    public void Only_an_assigned_conversation_that_is_not_closed_counts_in_an_operators_load()
    {
        var @operator = _scenario.ActiveOperator();
        _scenario.Open().CountsInOperatorLoad.ShouldBeFalse();
        _scenario.AssignedTo(@operator).CountsInOperatorLoad.ShouldBeTrue();
        var snoozed = _scenario.AssignedTo(@operator);
        snoozed.Snooze(_scenario.Now.AddHours(1), _scenario.Now);
        snoozed.CountsInOperatorLoad.ShouldBeTrue();
        var closed = _scenario.AssignedTo(@operator);
        closed.Close(null, _scenario.Now);
        closed.CountsInOperatorLoad.ShouldBeFalse();
    }

    [Test]
    public void Events_after_which_the_queue_may_move_are_marked_so()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.Open();
        conversation.RequestHandoff([], _scenario.Now);
        conversation.AssignOperator(@operator, _scenario.Now);
        conversation.Unassign(_scenario.Now);
        conversation.Close(null, _scenario.Now);
        conversation.Reopen(_scenario.Now);

        conversation.DomainEvents.Select(e => e is IWakesRoutingQueue).ShouldBe([true, true, true, true, false]);
    }
}
