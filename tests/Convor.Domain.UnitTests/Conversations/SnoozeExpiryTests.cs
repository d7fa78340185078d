using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

/// <summary>A snooze whose end has passed counts as open, and every command wakes it first.</summary>
public sealed class SnoozeExpiryTests
{
    private ConversationScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    [Test]
    public void A_snooze_counts_as_open_from_the_instant_it_ends()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));

        conversation.EffectiveStatus(_scenario.Now.AddMinutes(10).AddMilliseconds(-1)).ShouldBe(ConversationStatus.Snoozed);
        conversation.EffectiveStatus(_scenario.Now.AddMinutes(10)).ShouldBe(ConversationStatus.Open);
        conversation.Status.ShouldBe(ConversationStatus.Snoozed); // reading changes nothing
    }

    [Test]
    public void Waking_an_expired_snooze_opens_it_as_the_system()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        var version = conversation.Version;
        _scenario.Clock.Advance(TimeSpan.FromMinutes(10));

        conversation.WakeIfSnoozeExpired(_scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Open);
        conversation.SnoozedUntil.ShouldBeNull();
        conversation.Version.ShouldBe(version + 1);
        var activity = ConversationScenario.SingleActivity(conversation).ShouldBeOfType<ConversationReopened>();
        activity.Actor.ShouldBe(ActivityActor.System);
        ConversationScenario.ChangesOf(activity).Keys.ShouldBe(["status", "snoozedUntil"], ignoreOrder: true);
    }

    [Test]
    public void Waking_a_snooze_that_has_not_ended_changes_nothing()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        _scenario.Clock.Advance(TimeSpan.FromMinutes(9));

        conversation.WakeIfSnoozeExpired(_scenario.Now).ShouldBeFalse();

        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void Closing_an_expired_snooze_wakes_it_first_then_closes_it()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        _scenario.Clock.Advance(TimeSpan.FromHours(1));

        conversation.Close(null, _scenario.Now).ShouldBeTrue();

        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe([ActivityTypes.Reopened, ActivityTypes.Closed]);
        var closed = (ConversationActivity)conversation.DomainEvents[1];
        ConversationScenario.ChangesOf(closed)["status"].ShouldBe((ConversationStatus.Open, ConversationStatus.Closed));
    }

    [Test]
    public void Changing_priority_of_an_expired_snooze_wakes_it_first()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        _scenario.Clock.Advance(TimeSpan.FromHours(1));

        conversation.ChangePriority(ConversationPriority.High, _scenario.Now).ShouldBeTrue();

        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe([ActivityTypes.Reopened, ActivityTypes.PriorityChanged]);
        conversation.Status.ShouldBe(ConversationStatus.Open);
    }

    [Test]
    public void Replacing_metadata_of_an_expired_snooze_wakes_it_first()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        _scenario.Clock.Advance(TimeSpan.FromHours(1));

        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{"a":"b"}"""), _scenario.Now).ShouldBeTrue();

        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe([ActivityTypes.Reopened, ActivityTypes.MetadataChanged]);
    }

    [Test]
    public void Snoozing_again_after_the_snooze_ended_wakes_it_then_snoozes_it_anew()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        _scenario.Clock.Advance(TimeSpan.FromHours(1));

        conversation.Snooze(_scenario.Now.AddHours(1), _scenario.Now).ShouldBeTrue();

        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe([ActivityTypes.Reopened, ActivityTypes.Snoozed]);
        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
    }

    [Test]
    public void A_no_op_command_on_an_expired_snooze_still_records_the_wake()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromMinutes(10));
        _scenario.Clock.Advance(TimeSpan.FromHours(1));

        conversation.ChangePriority(conversation.Priority, _scenario.Now).ShouldBeFalse();

        ConversationScenario.SingleActivity(conversation).Actor.ShouldBe(ActivityActor.System);
    }
}
