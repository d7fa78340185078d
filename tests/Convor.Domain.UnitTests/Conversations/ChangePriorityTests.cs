using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class ChangePriorityTests
{
    private ConversationScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    [Test]
    public void Changing_priority_records_before_and_after()
    {
        var conversation = _scenario.Open();
        _scenario.Clock.Advance(TimeSpan.FromSeconds(30));

        conversation.ChangePriority(ConversationPriority.Urgent, _scenario.Now).ShouldBeTrue();

        conversation.Priority.ShouldBe(ConversationPriority.Urgent);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
        var activity = ConversationScenario.SingleActivity(conversation).ShouldBeOfType<PriorityChanged>();
        ConversationScenario.ChangesOf(activity).ShouldBe(new Dictionary<string, (object?, object?)>
        {
            ["priority"] = (ConversationPriority.Normal, ConversationPriority.Urgent),
        });
    }

    [Test]
    public void Setting_the_same_priority_changes_nothing()
    {
        var conversation = _scenario.Open(priority: ConversationPriority.High);
        var (version, updatedAt) = (conversation.Version, conversation.UpdatedAt);
        _scenario.Clock.Advance(TimeSpan.FromSeconds(30));

        conversation.ChangePriority(ConversationPriority.High, _scenario.Now).ShouldBeFalse();

        conversation.Version.ShouldBe(version);
        conversation.UpdatedAt.ShouldBe(updatedAt);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void Priority_of_a_closed_conversation_can_still_change()
    {
        var conversation = _scenario.Closed();

        conversation.ChangePriority(ConversationPriority.Low, _scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Closed);
        conversation.Priority.ShouldBe(ConversationPriority.Low);
    }
}
