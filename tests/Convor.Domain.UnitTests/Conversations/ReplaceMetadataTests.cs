using System.Text.Json;
using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class ReplaceMetadataTests
{
    private ConversationScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    [Test]
    public void Replacing_metadata_keeps_it_as_sent_and_recomputes_the_search_text()
    {
        var conversation = _scenario.Open("""{"subject":"Old order"}""");

        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{ "subject": "Zoë's REFUND", "n": 3 }"""), _scenario.Now).ShouldBeTrue();

        using var stored = JsonDocument.Parse(conversation.Metadata.Json);
        stored.RootElement.GetProperty("subject").GetString().ShouldBe("Zoë's REFUND");
        stored.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["subject", "n"]);
        conversation.SearchVector.ShouldBe("zoe s refund");
    }

    [Test]
    public void Metadata_activity_carries_the_old_and_new_objects()
    {
        var conversation = _scenario.Open("""{"a":"1"}""");

        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{"a":"2"}"""), _scenario.Now);

        var activity = ConversationScenario.SingleActivity(conversation).ShouldBeOfType<MetadataChanged>();
        var (before, after) = ConversationScenario.ChangesOf(activity)["metadata"];
        ((JsonElement)before!).GetRawText().ShouldBe("""{"a":"1"}""");
        ((JsonElement)after!).GetRawText().ShouldBe("""{"a":"2"}""");
        activity.Changes.Count.ShouldBe(1);
    }

    [Test]
    public void The_same_metadata_changes_nothing()
    {
        var conversation = _scenario.Open("""{"a":"1","b":[1,2]}""");
        var version = conversation.Version;

        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{ "a" : "1", "b" : [ 1, 2 ] }"""), _scenario.Now).ShouldBeFalse();

        conversation.Version.ShouldBe(version);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public void The_same_members_in_another_order_is_a_change_because_metadata_is_kept_as_sent()
    {
        var conversation = _scenario.Open("""{"a":"1","b":"2"}""");

        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{"b":"2","a":"1"}"""), _scenario.Now).ShouldBeTrue();
    }

    [Test]
    public void Emptying_metadata_empties_the_search_text()
    {
        var conversation = _scenario.Open("""{"subject":"Hello"}""");

        conversation.ReplaceMetadata(ConversationMetadata.Empty, _scenario.Now);

        conversation.SearchVector.ShouldBe("");
    }

    [Test]
    public void Metadata_of_a_closed_conversation_can_still_change()
    {
        var conversation = _scenario.Closed();

        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{"csat":"5"}"""), _scenario.Now).ShouldBeTrue();

        conversation.Status.ShouldBe(ConversationStatus.Closed);
    }
}
