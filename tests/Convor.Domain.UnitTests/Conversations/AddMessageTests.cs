using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class AddMessageTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void A_message_is_one_version_with_one_message_added_event_naming_the_message_and_its_author()
    {
        var conversation = _scenario.Open();
        var versionBefore = conversation.Version;

        var message = conversation.AddMessage(MessageAuthor.Visitor, null, "Where is my parcel?", _scenario.Now);

        conversation.Version.ShouldBe(versionBefore + 1);
        var added = conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<MessageAdded>();
        added.Type.ShouldBe("message_added");
        added.Version.ShouldBe(conversation.Version);
        added.Message.ShouldBeSameAs(message);
        added.Data.ShouldBe(new MessageAddedData(message.Id.Value, MessageAuthor.Visitor));
        message.ConversationId.ShouldBe(conversation.Id);
        message.OrganizationId.ShouldBe(_scenario.OrganizationId);
        message.ConversationVersion.ShouldBe(conversation.Version);
        message.Body.ShouldBe("Where is my parcel?");
        message.OperatorId.ShouldBeNull();
    }

    [Test]
    public void A_message_moves_last_message_at_and_updated_at_to_its_time_in_utc_milliseconds()
    {
        var conversation = _scenario.Open();
        var at = _scenario.Now.AddTicks(4_321).ToOffset(TimeSpan.FromHours(3));

        var message = conversation.AddMessage(MessageAuthor.Ai, null, "Hello!", at);

        message.CreatedAt.ShouldBe(_scenario.Now);
        message.CreatedAt.Offset.ShouldBe(TimeSpan.Zero);
        conversation.LastMessageAt.ShouldBe(_scenario.Now);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public void Message_times_never_go_backwards_along_the_versions()
    {
        var conversation = _scenario.Open();
        conversation.AddMessage(MessageAuthor.Visitor, null, "first", _scenario.Now);

        var late = conversation.AddMessage(MessageAuthor.Visitor, null, "second", _scenario.Now.AddSeconds(-2));

        late.CreatedAt.ShouldBe(_scenario.Now);
        conversation.LastMessageAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public void The_ai_may_not_write_after_a_human_took_over()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        var before = ConversationState.Of(conversation);

        Should.Throw<AiNotActiveException>(() => conversation.AddMessage(MessageAuthor.Ai, null, "Can I help?", _scenario.Now)).Code.ShouldBe("ai_not_active");

        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void An_operator_writing_in_an_unassigned_conversation_takes_it_then_writes()
    {
        var conversation = _scenario.Open();
        var @operator = _scenario.ActiveOperator();
        var versionBefore = conversation.Version;

        var message = conversation.AddMessage(MessageAuthor.Operator, @operator, "Dana here.", _scenario.Now);

        conversation.AssignedOperatorId.ShouldBe(@operator.Id);
        conversation.AiActive.ShouldBeFalse();
        message.OperatorId.ShouldBe(@operator.Id);
        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe(["assigned", "message_added"]);
        conversation.DomainEvents.Cast<ConversationActivity>().Select(e => e.Version).ShouldBe([versionBefore + 1, versionBefore + 2]);
        conversation.Version.ShouldBe(versionBefore + 2);
    }

    [Test]
    public void The_assigned_operator_writes_without_another_assignment()
    {
        var @operator = _scenario.ActiveOperator();
        var conversation = _scenario.AssignedTo(@operator);

        conversation.AddMessage(MessageAuthor.Operator, @operator, "Still on it.", _scenario.Now);

        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<MessageAdded>();
    }

    [Test]
    public void An_operator_may_not_write_in_a_conversation_another_operator_holds()
    {
        var conversation = _scenario.AssignedTo(_scenario.ActiveOperator());
        var before = ConversationState.Of(conversation);

        Should.Throw<OperatorNotAssignedException>(() => conversation.AddMessage(MessageAuthor.Operator, _scenario.ActiveOperator(), "Mine now?", _scenario.Now))
            .Code.ShouldBe("operator_not_assigned");

        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void An_inactive_operator_may_not_write()
    {
        var conversation = _scenario.Open();
        var before = ConversationState.Of(conversation);

        Should.Throw<OperatorInactiveException>(() => conversation.AddMessage(MessageAuthor.Operator, _scenario.InactiveOperator(), "Hi", _scenario.Now));

        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void An_operator_of_another_organization_is_an_invalid_operator()
    {
        var conversation = _scenario.Open();

        Should.Throw<InvalidOperatorException>(() => conversation.AddMessage(MessageAuthor.Operator, _scenario.OperatorOfAnotherOrganization(), "Hi", _scenario.Now));

        conversation.DomainEvents.ShouldBeEmpty();
    }

    [TestCase(MessageAuthor.Visitor)]
    [TestCase(MessageAuthor.Ai)]
    [TestCase(MessageAuthor.System)]
    public void An_operator_is_given_exactly_when_the_author_is_an_operator(MessageAuthor author)
    {
        var conversation = _scenario.Open();

        Should.Throw<ArgumentException>(() => conversation.AddMessage(author, _scenario.ActiveOperator(), "Hi", _scenario.Now));
        Should.Throw<ArgumentException>(() => conversation.AddMessage(MessageAuthor.Operator, null, "Hi", _scenario.Now));
    }

    [Test]
    public void A_visitor_reply_reopens_a_closed_conversation_before_the_message()
    {
        var conversation = _scenario.Closed();

        conversation.AddMessage(MessageAuthor.Visitor, null, "It broke again.", _scenario.Now);

        conversation.Status.ShouldBe(ConversationStatus.Open);
        conversation.ResolvedBy.ShouldBeNull();
        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe(["reopened", "message_added"]);
        conversation.DomainEvents.Cast<ConversationActivity>().ShouldAllBe(e => e.Actor == null);
    }

    [Test]
    public void A_visitor_reply_reopens_a_snoozed_conversation()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));

        conversation.AddMessage(MessageAuthor.Visitor, null, "Any news?", _scenario.Now);

        conversation.Status.ShouldBe(ConversationStatus.Open);
        conversation.SnoozedUntil.ShouldBeNull();
        conversation.DomainEvents.Select(e => ((ConversationActivity)e).Type).ShouldBe(["reopened", "message_added"]);
    }

    [Test]
    public void Others_keep_a_snoozed_conversation_snoozed()
    {
        var conversation = _scenario.Snoozed(TimeSpan.FromHours(1));

        conversation.AddMessage(MessageAuthor.System, null, "Reminder scheduled.", _scenario.Now);

        conversation.Status.ShouldBe(ConversationStatus.Snoozed);
    }

    [TestCase(MessageAuthor.Ai)]
    [TestCase(MessageAuthor.System)]
    [TestCase(MessageAuthor.Operator)]
    public void Nobody_but_the_visitor_writes_in_a_closed_conversation(MessageAuthor author)
    {
        var conversation = _scenario.Closed();
        var before = ConversationState.Of(conversation);
        var writer = author == MessageAuthor.Operator ? _scenario.ActiveOperator() : null;

        Should.Throw<ConversationClosedException>(() => conversation.AddMessage(author, writer, "Hello?", _scenario.Now));

        ConversationState.Of(conversation).ShouldBe(before);
    }

    [Test]
    public void Message_words_follow_the_metadata_in_the_search_vector_and_survive_a_metadata_change()
    {
        var conversation = Conversation.Create(_scenario.OrganizationId, _scenario.Visitor, ConversationChannel.Widget, ConversationPriority.Normal,
            ConversationMetadata.FromJson("""{"subject":"Order late"}"""), _scenario.Now);

        conversation.AddMessage(MessageAuthor.Visitor, null, "My parcel is late, order A-17", _scenario.Now);
        conversation.AddMessage(MessageAuthor.Ai, null, "Le colis arrive demain.", _scenario.Now);

        conversation.SearchVector.ShouldBe("order late my parcel is a 17 le colis arrive demain");
        conversation.ReplaceMetadata(ConversationMetadata.FromJson("""{"subject":"Résolu"}"""), _scenario.Now);
        conversation.SearchVector.ShouldBe("resolu my parcel is late order a 17 le colis arrive demain");
    }

    [Test]
    public void The_search_vector_keeps_the_start_of_the_conversation_within_its_limit()
    {
        var conversation = _scenario.Open();
        conversation.AddMessage(MessageAuthor.Visitor, null, "first words", _scenario.Now);
        var filler = string.Join(' ', Enumerable.Range(0, 1_000).Select(i => $"word{i:D4}"));

        conversation.AddMessage(MessageAuthor.Ai, null, filler, _scenario.Now);
        conversation.AddMessage(MessageAuthor.Visitor, null, "lastword", _scenario.Now);

        conversation.SearchVector.Length.ShouldBeLessThanOrEqualTo(SearchText.MaxLength);
        conversation.SearchVector.ShouldStartWith("first words word0000 word0001");
        conversation.SearchVector.ShouldNotContain("lastword");
        conversation.SearchVector.Split(' ').ShouldAllBe(w => w == "first" || w == "words" || w.Length == 8);
    }
}
