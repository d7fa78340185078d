using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class SnoozeTests
{
    private ConversationScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    [Test]
    public void Snoozing_an_open_conversation_sets_status_and_end()
    {
        var conversation = _scenario.Open();
        var until = _scenario.Now.AddHours(2);

        conversation.Snooze(until, _scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
        conversation.SnoozedUntil.ShouldBe(until);
        conversation.EffectiveStatus(_scenario.Now).ShouldBe(ConversationStatus.Snoozed);
    }

    [Test]
    public void Snooze_keeps_the_assignment_and_the_ai_flag()
    {
        var op = _scenario.ActiveOperator();
        var conversation = _scenario.Open();
        conversation.AssignOperator(op, _scenario.Now);

        conversation.Snooze(_scenario.Now.AddHours(1), _scenario.Now);

        conversation.AssignedOperatorId.ShouldBe(op.Id);
        conversation.AiActive.ShouldBeFalse();
    }

    [Test]
    public void Snooze_end_is_stored_with_millisecond_precision()
    {
        var conversation = _scenario.Open();
        var until = _scenario.Now.AddHours(1).AddTicks(12_345);

        conversation.Snooze(until, _scenario.Now);

        conversation.SnoozedUntil.ShouldBe(_scenario.Now.AddHours(1).AddMilliseconds(1));
    }

    [Test]
    public void Snooze_records_one_snoozed_activity_with_status_and_end()
    {
        var conversation = _scenario.Open();
        var until = _scenario.Now.AddHours(1);

        conversation.Snooze(until, _scenario.Now);

        var activity = ConversationScenario.SingleActivity(conversation).ShouldBeOfType<ConversationSnoozed>();
        activity.Until.ShouldBe(until);
        var changes = ConversationScenario.ChangesOf(activity);
        changes.Keys.ShouldBe(["status", "snoozedUntil"], ignoreOrder: true);
        changes["status"].ShouldBe((ConversationStatus.Open, ConversationStatus.Snoozed));
        changes["snoozedUntil"].ShouldBe((null, until));
    }

    [Test]
    public void Snoozing_a_snoozed_conversation_to_a_new_end_moves_only_the_end()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));
        var later = _scenario.Now.AddHours(3);

        conversation.Snooze(later, _scenario.Now).ShouldBeTrue();

        var changes = ConversationScenario.ChangesOf(ConversationScenario.SingleActivity(conversation));
        changes.Keys.ShouldBe(["snoozedUntil"]);
        conversation.SnoozedUntil.ShouldBe(later);
    }

    [Test]
    public void Snoozing_to_the_same_end_changes_nothing()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));
        var version = conversation.Version;

        conversation.Snooze(conversation.SnoozedUntil!.Value, _scenario.Now).ShouldBeFalse();

        conversation.Version.ShouldBe(version);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Snooze_end_must_be_in_the_future(int minutesFromNow)
    {
        var conversation = _scenario.Open();

        Should.Throw<SnoozeInPastException>(() => conversation.Snooze(_scenario.Now.AddMinutes(minutesFromNow), _scenario.Now))
            .Code.ShouldBe("validation_error");
        conversation.Status.ShouldBe(ConversationStatus.Open);
    }

    [Test]
    public void Snoozing_a_closed_conversation_is_conversation_closed()
    {
        var conversation = _scenario.Closed();

        Should.Throw<ConversationClosedException>(() => conversation.Snooze(_scenario.Now.AddHours(1), _scenario.Now))
            .Code.ShouldBe("conversation_closed");
        conversation.DomainEvents.ShouldBeEmpty();
    }
}
