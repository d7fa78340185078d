using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class CloseTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void Closing_sets_status_closed_and_stops_the_ai()
    {
        var conversation = _scenario.Open();

        var changed = conversation.Close(null, _scenario.Now);

        changed.ShouldBeTrue();
        conversation.Status.ShouldBe(ConversationStatus.Closed);
        conversation.AiActive.ShouldBeFalse();
        conversation.SnoozedUntil.ShouldBeNull();
    }

    [Test]
    public void Closing_without_a_resolver_names_the_operator_when_one_is_assigned()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());

        conversation.Close(null, _scenario.Now);

        conversation.ResolvedBy.ShouldBe(ResolvedBy.Operator);
    }

    [Test]
    public void Closing_without_a_resolver_names_the_ai_when_it_was_answering_and_no_operator_is_assigned()
    {
        var conversation = _scenario.Open();

        conversation.Close(null, _scenario.Now);

        conversation.ResolvedBy.ShouldBe(ResolvedBy.Ai);
    }

    [Test]
    public void Closing_without_a_resolver_names_the_system_when_neither_operator_nor_ai_was_answering()
    {
        var conversation = _scenario.OpenWithAiInactiveAndNoOperator();

        conversation.Close(null, _scenario.Now);

        conversation.ResolvedBy.ShouldBe(ResolvedBy.System);
    }

    [TestCase(ResolvedBy.Operator)]
    [TestCase(ResolvedBy.Ai)]
    [TestCase(ResolvedBy.Visitor)]
    [TestCase(ResolvedBy.System)]
    public void Closing_with_an_explicit_resolver_keeps_it_over_the_default(ResolvedBy resolvedBy)
    {
        // Assigned, so the default would be "operator": every other value proves the override.
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());

        conversation.Close(resolvedBy, _scenario.Now);

        conversation.ResolvedBy.ShouldBe(resolvedBy);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ConversationClosed>().ResolvedBy.ShouldBe(resolvedBy);
    }

    [Test]
    public void Closing_keeps_the_assigned_operator()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.AssignedTo(@operator);

        conversation.Close(ResolvedBy.Visitor, _scenario.Now);

        conversation.AssignedOperatorId.ShouldBe(@operator.Id);
    }

    [Test]
    public void Closing_a_snoozed_conversation_clears_the_snooze_end()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));
        var snoozedUntil = conversation.SnoozedUntil;

        conversation.Close(null, _scenario.Now);

        conversation.Status.ShouldBe(ConversationStatus.Closed);
        conversation.SnoozedUntil.ShouldBeNull();
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ConversationClosed>()
            .Changes.ShouldContain(new FieldChange("snoozedUntil", snoozedUntil, null));
    }

    [Test]
    public void Closing_raises_exactly_one_closed_event_with_the_fields_before_and_after()
    {
        var conversation = _scenario.Open();

        conversation.Close(null, _scenario.Now);

        var closed = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ConversationClosed>();
        closed.Type.ShouldBe("closed");
        closed.ConversationId.ShouldBe(conversation.Id);
        closed.OrganizationId.ShouldBe(_scenario.OrganizationId);
        closed.ResolvedBy.ShouldBe(ResolvedBy.Ai);
        closed.OccurredAt.ShouldBe(_scenario.Now);
        closed.Version.ShouldBe(conversation.Version);
        closed.Changes.ShouldBe(
        [
            new FieldChange("status", ConversationStatus.Open, ConversationStatus.Closed),
            new FieldChange("resolvedBy", null, ResolvedBy.Ai),
            new FieldChange("aiActive", true, false),
        ]);
    }

    [Test]
    public void Closing_an_assigned_conversation_does_not_list_the_unchanged_fields()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());

        conversation.Close(null, _scenario.Now);

        // The operator stays and the AI was already off: only status and resolver moved.
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ConversationClosed>()
            .Changes.Select(c => c.Field).ShouldBe(["status", "resolvedBy"]);
    }

    [Test]
    public void Closing_bumps_the_version_by_one_and_moves_updated_at_to_now()
    {
        var conversation = _scenario.Open();
        var versionBefore = conversation.Version;

        conversation.Close(null, _scenario.Now);

        conversation.Version.ShouldBe(versionBefore + 1);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public void Closing_stores_now_as_utc_truncated_to_milliseconds()
    {
        var conversation = _scenario.Open();
        _scenario.Clock.Advance(TimeSpan.FromTicks(1));

        conversation.Close(null, _scenario.Now.ToOffset(TimeSpan.FromHours(9)));

        conversation.UpdatedAt.ShouldBe(_scenario.Now.AddTicks(-1));
        conversation.UpdatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Test]
    public void Closing_a_closed_conversation_changes_nothing()
    {
        var conversation = _scenario.Closed();
        var before = ConversationState.Of(conversation);

        var changed = conversation.Close(null, _scenario.Now);

        changed.ShouldBeFalse();
        ConversationState.Of(conversation).ShouldBe(before);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void Closing_a_closed_conversation_with_another_resolver_keeps_the_first_resolver()
    {
        var conversation = _scenario.Closed(ResolvedBy.Visitor);
        var before = ConversationState.Of(conversation);

        conversation.Close(ResolvedBy.System, _scenario.Now).ShouldBeFalse();

        conversation.ResolvedBy.ShouldBe(ResolvedBy.Visitor);
        ConversationState.Of(conversation).ShouldBe(before);
    }
}
