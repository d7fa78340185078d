using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;

namespace Convor.Domain.UnitTests.Operators;

/// <summary>Availability, maximum and the version that serializes assignments to one operator.</summary>
public sealed class OperatorCapacityTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 23, 8, 0, 0, TimeSpan.Zero);

    private static Operator NewOperator() => Operator.Create(OrganizationId.New(), "Ada", "ada@example.test", OperatorRole.Agent, true, Now);

    [Test]
    public void A_new_operator_is_offline_with_a_maximum_of_5_at_version_1()
    {
        var @operator = NewOperator();

        @operator.Availability.ShouldBe(OperatorAvailability.Offline);
        @operator.MaxConversations.ShouldBe(5);
        @operator.Version.ShouldBe(1);
        @operator.LastRoutedAt.ShouldBeNull();
    }

    [TestCase(0)]
    [TestCase(101)]
    public void A_maximum_outside_1_to_100_is_refused(int max)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => NewOperator().Update(null, null, null, Now, maxConversations: max));
        Should.Throw<ArgumentOutOfRangeException>(() => Operator.Create(OrganizationId.New(), "A", "a@x.test", OperatorRole.Agent, true, Now, maxConversations: max));
    }

    [Test]
    public void A_real_change_moves_the_version_and_updatedAt_and_the_same_values_move_nothing()
    {
        var @operator = NewOperator();

        @operator.Update(null, null, null, Now.AddMinutes(1), OperatorAvailability.Away, 8).ShouldBeTrue();
        @operator.Update(null, null, null, Now.AddMinutes(2), OperatorAvailability.Away, 8).ShouldBeFalse();

        @operator.Availability.ShouldBe(OperatorAvailability.Away);
        @operator.MaxConversations.ShouldBe(8);
        @operator.Version.ShouldBe(2);
        @operator.UpdatedAt.ShouldBe(Now.AddMinutes(1));
    }

    [Test]
    public void Deactivation_moves_the_version_so_an_assignment_read_before_it_cannot_save()
    {
        var @operator = NewOperator();

        @operator.Update(null, null, active: false, Now);

        @operator.Version.ShouldBe(2);
    }

    [TestCase(OperatorAvailability.Online, null, null, true)]
    [TestCase(OperatorAvailability.Away, null, null, false)]
    [TestCase(null, 6, null, true)]
    [TestCase(null, 4, null, false)]
    [TestCase(null, null, true, true)]
    [TestCase(null, null, false, false)]
    public void Only_a_change_that_may_give_routing_room_wakes_the_queue(OperatorAvailability? availability, int? max, bool? active, bool wakes)
    {
        var @operator = Operator.Create(OrganizationId.New(), "Ada", "ada@example.test", OperatorRole.Agent, active is true ? false : true, Now,
            OperatorAvailability.Offline, 5);

        @operator.Update(null, null, active, Now, availability, max).ShouldBeTrue();

        @operator.DomainEvents.Any(e => e is IWakesRoutingQueue).ShouldBe(wakes);
    }

    [Test]
    public void A_routed_assignment_moves_the_version_and_the_round_robin_time()
    {
        var @operator = NewOperator();

        @operator.RecordRoutedAssignment(Now.AddMinutes(3));

        @operator.LastRoutedAt.ShouldBe(Now.AddMinutes(3));
        @operator.Version.ShouldBe(2);
        @operator.UpdatedAt.ShouldBe(Now, "openConversations is counted, not a stored change of the operator");
    }

    [Test]
    public void Routing_may_give_a_conversation_only_to_an_active_online_operator_below_its_maximum()
    {
        var @operator = NewOperator();
        @operator.CanTakeRoutedConversation(0).ShouldBeFalse("offline");
        @operator.Update(null, null, null, Now, OperatorAvailability.Online, 2);
        @operator.CanTakeRoutedConversation(1).ShouldBeTrue();
        @operator.CanTakeRoutedConversation(2).ShouldBeFalse();
        @operator.Update(null, null, false, Now);
        @operator.CanTakeRoutedConversation(0).ShouldBeFalse("inactive");
    }
}
