using Convor.Domain.Common;
using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class AssignOperatorTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void Assigning_sets_the_operator_and_hands_the_conversation_over_from_the_ai()
    {
        var conversation = _scenario.Open();
        var @operator = _scenario.ActiveOperator();

        var changed = conversation.AssignOperator(@operator, _scenario.Now);

        changed.ShouldBeTrue();
        conversation.AssignedOperatorId.ShouldBe(@operator.Id);
        conversation.AiActive.ShouldBeFalse();
        conversation.Status.ShouldBe(ConversationStatus.Open);
    }

    [Test]
    public void Assigning_raises_exactly_one_assigned_event_with_the_fields_before_and_after()
    {
        var conversation = _scenario.Open();
        var @operator = _scenario.ActiveOperator();

        conversation.AssignOperator(@operator, _scenario.Now);

        var assigned = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>();
        assigned.Type.ShouldBe("assigned");
        assigned.ConversationId.ShouldBe(conversation.Id);
        assigned.OrganizationId.ShouldBe(_scenario.OrganizationId);
        assigned.OperatorId.ShouldBe(@operator.Id);
        assigned.OccurredAt.ShouldBe(_scenario.Now);
        assigned.Version.ShouldBe(conversation.Version);
        assigned.Actor.ShouldBeNull();
        assigned.Changes.ShouldBe(
        [
            new FieldChange("assignedOperatorId", null, @operator.Id.Value),
            new FieldChange("aiActive", true, false),
        ]);
    }

    [Test]
    public void Assigning_bumps_the_version_by_one_and_moves_updated_at_to_now()
    {
        var conversation = _scenario.Open();
        var versionBefore = conversation.Version;
        var createdAt = conversation.CreatedAt;

        conversation.AssignOperator(_scenario.ActiveOperator(), _scenario.Now);

        conversation.Version.ShouldBe(versionBefore + 1);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
        conversation.CreatedAt.ShouldBe(createdAt);
    }

    [Test]
    public void Assigning_stores_now_as_utc_truncated_to_milliseconds()
    {
        var conversation = _scenario.Open();
        _scenario.Clock.Advance(TimeSpan.FromTicks(4_321));
        var nowInParis = _scenario.Now.ToOffset(TimeSpan.FromHours(2));

        conversation.AssignOperator(_scenario.ActiveOperator(), nowInParis);

        var expected = _scenario.Now.AddTicks(-4_321 % TimeSpan.TicksPerMillisecond);
        conversation.UpdatedAt.ShouldBe(expected);
        conversation.UpdatedAt.Offset.ShouldBe(TimeSpan.Zero);
        conversation.UpdatedAt.Ticks.ShouldBe(expected.Ticks);
        conversation.DomainEvents.ShouldHaveSingleItem().OccurredAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Test]
    public void Assigning_the_operator_who_is_already_assigned_changes_nothing()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.AssignedTo(@operator);
        var before = ConversationState.Of(conversation);

        var changed = conversation.AssignOperator(@operator, _scenario.Now);

        changed.ShouldBeFalse();
        ConversationState.Of(conversation).ShouldBe(before);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void Reassigning_to_another_operator_moves_only_the_assigned_operator()
    {
        var first = _scenario.ActiveOperator();
        var second = _scenario.ActiveOperator();
        var conversation = _scenario.AssignedTo(first);
        var versionBefore = conversation.Version;

        conversation.AssignOperator(second, _scenario.Now).ShouldBeTrue();

        conversation.AssignedOperatorId.ShouldBe(second.Id);
        conversation.Version.ShouldBe(versionBefore + 1);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>()
            .Changes.ShouldBe([new FieldChange("assignedOperatorId", first.Id.Value, second.Id.Value)]);
    }

    [Test]
    public void Assigning_an_operator_of_another_organization_is_invalid_operator_and_changes_nothing()
    {
        var conversation = _scenario.Open();
        var before = ConversationState.Of(conversation);

        var exception = Should.Throw<InvalidOperatorException>(
            () => conversation.AssignOperator(_scenario.OperatorOfAnotherOrganization(), _scenario.Now));

        exception.Code.ShouldBe("invalid_operator");
        exception.ShouldBeAssignableTo<DomainReferenceException>();
        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void Operator_of_another_organization_answers_like_an_unknown_operator_even_when_closed()
    {
        // The closed state of this organization's conversation must not be the answer to a
        // foreign operator id: that would differ from what an unknown id gets at the handler.
        var conversation = _scenario.Closed();

        Should.Throw<InvalidOperatorException>(
            () => conversation.AssignOperator(_scenario.OperatorOfAnotherOrganization(), _scenario.Now));
    }

    [Test]
    public void Assigning_to_a_closed_conversation_is_conversation_closed_and_changes_nothing()
    {
        var conversation = _scenario.Closed();
        var before = ConversationState.Of(conversation);

        var exception = Should.Throw<ConversationClosedException>(
            () => conversation.AssignOperator(_scenario.ActiveOperator(), _scenario.Now));

        exception.Code.ShouldBe("conversation_closed");
        exception.ShouldBeAssignableTo<DomainStateException>();
        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void Assigning_an_inactive_operator_is_operator_inactive_and_changes_nothing()
    {
        var conversation = _scenario.Open();
        var before = ConversationState.Of(conversation);

        var exception = Should.Throw<OperatorInactiveException>(
            () => conversation.AssignOperator(_scenario.InactiveOperator(), _scenario.Now));

        exception.Code.ShouldBe("operator_inactive");
        exception.ShouldBeAssignableTo<DomainReferenceException>();
        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void Assigning_an_inactive_operator_who_is_already_assigned_is_still_operator_inactive()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.AssignedTo(@operator);
        @operator.Update(name: null, role: null, active: false, _scenario.Now);

        Should.Throw<OperatorInactiveException>(() => conversation.AssignOperator(@operator, _scenario.Now));
    }

    [Test]
    public void A_closed_conversation_is_reported_before_an_inactive_operator()
    {
        var conversation = _scenario.Closed();

        Should.Throw<ConversationClosedException>(
            () => conversation.AssignOperator(_scenario.InactiveOperator(), _scenario.Now));
    }

    [Test]
    public void Assigning_a_snoozed_conversation_keeps_it_snoozed_until_the_same_time()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));
        var snoozedUntil = conversation.SnoozedUntil;

        conversation.AssignOperator(_scenario.ActiveOperator(), _scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
        conversation.SnoozedUntil.ShouldBe(snoozedUntil);
        conversation.AiActive.ShouldBeFalse();
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>()
            .Changes.Select(c => c.Field).ShouldBe(["assignedOperatorId", "aiActive"]);
    }

    [Test]
    public void Assigning_leaves_priority_channel_metadata_and_resolver_alone()
    {
        var conversation = _scenario.Open();
        var before = ConversationState.Of(conversation);

        conversation.AssignOperator(_scenario.ActiveOperator(), _scenario.Now);

        var after = ConversationState.Of(conversation);
        after.ShouldBe(before with
        {
            AssignedOperatorId = after.AssignedOperatorId,
            AiActive = false,
            UpdatedAt = after.UpdatedAt,
            Version = before.Version + 1,
            EventCount = 1,
        });
    }

    [Test]
    public void Assigning_without_an_operator_is_an_argument_error()
    {
        var conversation = _scenario.Open();

        Should.Throw<ArgumentNullException>(() => conversation.AssignOperator(null!, _scenario.Now));
    }
}
