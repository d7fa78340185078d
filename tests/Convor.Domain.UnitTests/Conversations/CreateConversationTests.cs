using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Visitors;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class CreateConversationTests
{
    private readonly ConversationScenario _scenario = new();

    private Conversation Create(ConversationMetadata? metadata = null, ConversationPriority priority = ConversationPriority.Normal) =>
        Conversation.Create(_scenario.OrganizationId, _scenario.Visitor, ConversationChannel.Email, priority, metadata, _scenario.Now);

    [Test]
    public void A_new_conversation_is_open_unassigned_and_answered_by_the_ai()
    {
        var conversation = Create(priority: ConversationPriority.High);

        conversation.OrganizationId.ShouldBe(_scenario.OrganizationId);
        conversation.VisitorId.ShouldBe(_scenario.Visitor.Id);
        conversation.AssignedOperatorId.ShouldBeNull();
        conversation.Status.ShouldBe(ConversationStatus.Open);
        conversation.Priority.ShouldBe(ConversationPriority.High);
        conversation.ResolvedBy.ShouldBeNull();
        conversation.Channel.ShouldBe(ConversationChannel.Email);
        conversation.AiActive.ShouldBeTrue();
        conversation.SnoozedUntil.ShouldBeNull();
        conversation.LastMessageAt.ShouldBeNull();
    }

    [Test]
    public void A_new_conversation_starts_at_version_one_with_created_and_updated_at_now()
    {
        var conversation = Create();

        conversation.Version.ShouldBe(1);
        conversation.CreatedAt.ShouldBe(_scenario.Now);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public void A_new_conversation_stores_now_as_utc_truncated_to_milliseconds()
    {
        _scenario.Clock.Advance(TimeSpan.FromTicks(7_654));

        var conversation = Conversation.Create(_scenario.OrganizationId, _scenario.Visitor, ConversationChannel.Api,
            ConversationPriority.Normal, null, _scenario.Now.ToOffset(TimeSpan.FromHours(5.5)));

        var expected = _scenario.Now.AddTicks(-(7_654 % TimeSpan.TicksPerMillisecond));
        conversation.CreatedAt.ShouldBe(expected);
        conversation.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
        conversation.UpdatedAt.ShouldBe(expected);
    }

    [Test]
    public void A_new_conversation_gets_a_fresh_id_each_time()
    {
        Create().Id.ShouldNotBe(Create().Id);
    }

    [Test]
    public void Without_metadata_the_conversation_has_an_empty_object_and_empty_search_text()
    {
        var conversation = Create();

        conversation.Metadata.Json.ShouldBe("{}");
        conversation.SearchVector.ShouldBe(string.Empty);
    }

    [Test]
    public void The_search_text_is_computed_from_the_metadata_given_at_creation()
    {
        var conversation = Create(ConversationMetadata.FromJson("""{"customer":"Zoë Müller","plan":"Gold"}"""));

        conversation.Metadata.Json.ShouldBe(ConversationMetadata.FromJson("""{"customer":"Zoë Müller","plan":"Gold"}""").Json);
        conversation.SearchVector.ShouldBe("zoe muller gold");
    }

    [Test]
    public void A_visitor_of_another_organization_is_invalid_visitor()
    {
        var foreignVisitor = Visitor.Create(OrganizationId.New(), _scenario.Now);

        var exception = Should.Throw<InvalidVisitorException>(() => Conversation.Create(_scenario.OrganizationId, foreignVisitor,
            ConversationChannel.Widget, ConversationPriority.Normal, null, _scenario.Now));

        exception.Code.ShouldBe("invalid_visitor");
        exception.ShouldBeAssignableTo<DomainReferenceException>();
    }

    [Test]
    public void Creating_raises_exactly_one_created_event_at_version_one()
    {
        var conversation = Create(ConversationMetadata.FromJson("""{"a":"b"}"""));

        var created = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ConversationCreated>();
        created.Type.ShouldBe("created");
        created.ConversationId.ShouldBe(conversation.Id);
        created.OrganizationId.ShouldBe(_scenario.OrganizationId);
        created.Version.ShouldBe(1);
        created.OccurredAt.ShouldBe(conversation.CreatedAt);
        created.Changes.Select(c => c.Field).ShouldBe(["visitorId", "status", "priority", "channel", "aiActive", "metadata"]);
        created.Changes.ShouldAllBe(c => c.Before == null);
        created.Changes[0].After.ShouldBe(_scenario.Visitor.Id.Value);
        created.Changes[1].After.ShouldBe(ConversationStatus.Open);
        created.Changes[4].After.ShouldBe(true);
        created.Changes[5].After.ShouldNotBeNull().ToString().ShouldBe("""{"a":"b"}""");
    }
}
