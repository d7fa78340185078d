namespace Convor.Domain.UnitTests.Conversations;

public sealed class RecordMessageTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void Recording_a_message_time_stores_it_as_utc_milliseconds_and_counts_as_a_change()
    {
        var conversation = _scenario.Open();
        var versionBefore = conversation.Version;
        var messageAt = _scenario.Now.AddSeconds(-10).AddTicks(4_321).ToOffset(TimeSpan.FromHours(3));

        conversation.RecordMessageAt(messageAt, _scenario.Now);

        conversation.LastMessageAt.ShouldBe(_scenario.Now.AddSeconds(-10));
        conversation.LastMessageAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
        conversation.Version.ShouldBe(versionBefore + 1);
    }

    [Test]
    public void Recording_the_same_message_time_again_changes_nothing()
    {
        var conversation = _scenario.Open();
        conversation.RecordMessageAt(_scenario.Now.AddSeconds(-10), _scenario.Now);
        var before = ConversationState.Of(conversation);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));

        conversation.RecordMessageAt(_scenario.Now.AddSeconds(-70).AddTicks(1), _scenario.Now);

        ConversationState.Of(conversation).ShouldBe(before);
    }
}
