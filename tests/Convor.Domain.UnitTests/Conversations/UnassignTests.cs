using Convor.Domain.Common;
using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class UnassignTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void Unassigning_clears_the_operator_and_gives_the_conversation_back_to_the_ai()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());

        var changed = conversation.Unassign(_scenario.Now);

        changed.ShouldBeTrue();
        conversation.AssignedOperatorId.ShouldBeNull();
        conversation.AiActive.ShouldBeTrue();
        conversation.Status.ShouldBe(ConversationStatus.Open);
    }

    [Test]
    public void Unassigning_raises_exactly_one_unassigned_event_with_the_fields_before_and_after()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.AssignedTo(@operator);

        conversation.Unassign(_scenario.Now);

        var unassigned = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorUnassigned>();
        unassigned.Type.ShouldBe("unassigned");
        unassigned.ConversationId.ShouldBe(conversation.Id);
        unassigned.OrganizationId.ShouldBe(_scenario.OrganizationId);
        unassigned.OccurredAt.ShouldBe(_scenario.Now);
        unassigned.Version.ShouldBe(conversation.Version);
        unassigned.Changes.ShouldBe(
        [
            new FieldChange("assignedOperatorId", @operator.Id.Value, null),
            new FieldChange("aiActive", false, true),
        ]);
    }

    [Test]
    public void Unassigning_bumps_the_version_by_one_and_moves_updated_at_to_now()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        var versionBefore = conversation.Version;

        conversation.Unassign(_scenario.Now);

        conversation.Version.ShouldBe(versionBefore + 1);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public void Unassigning_stores_now_as_utc_truncated_to_milliseconds()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        _scenario.Clock.Advance(TimeSpan.FromTicks(9_999));

        conversation.Unassign(_scenario.Now.ToOffset(TimeSpan.FromHours(-5)));

        conversation.UpdatedAt.ShouldBe(_scenario.Now.AddTicks(-9_999));
        conversation.UpdatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Test]
    public void Unassigning_an_unassigned_conversation_changes_nothing()
    {
        var conversation = _scenario.Open();
        var before = ConversationState.Of(conversation);

        var changed = conversation.Unassign(_scenario.Now);

        changed.ShouldBeFalse();
        ConversationState.Of(conversation).ShouldBe(before);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void Unassigning_twice_changes_things_only_the_first_time()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        conversation.Unassign(_scenario.Now);
        var afterFirst = ConversationState.Of(conversation);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(5));

        conversation.Unassign(_scenario.Now).ShouldBeFalse();

        ConversationState.Of(conversation).ShouldBe(afterFirst);
    }

    [Test]
    public void Unassigning_a_closed_conversation_is_conversation_closed_and_changes_nothing()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        conversation.Close(null, _scenario.Now);
        conversation.ClearDomainEvents();
        var before = ConversationState.Of(conversation);

        var exception = Should.Throw<ConversationClosedException>(() => conversation.Unassign(_scenario.Now));

        exception.Code.ShouldBe("conversation_closed");
        exception.ShouldBeAssignableTo<DomainStateException>();
        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void Unassigning_a_closed_conversation_without_operator_is_also_conversation_closed()
    {
        var conversation = _scenario.Closed();

        Should.Throw<ConversationClosedException>(() => conversation.Unassign(_scenario.Now));
    }

    [Test]
    public void Unassigning_a_snoozed_conversation_keeps_it_snoozed_until_the_same_time()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));
        conversation.AssignOperator(_scenario.ActiveOperator(), _scenario.Now);
        conversation.ClearDomainEvents();
        var snoozedUntil = conversation.SnoozedUntil;

        conversation.Unassign(_scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
        conversation.SnoozedUntil.ShouldBe(snoozedUntil);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorUnassigned>()
            .Changes.Select(c => c.Field).ShouldBe(["assignedOperatorId", "aiActive"]);
    }
}
