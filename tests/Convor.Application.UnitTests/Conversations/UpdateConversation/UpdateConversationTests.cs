using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.UpdateConversation;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Moq;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Conversations.UpdateConversation;

public sealed class UpdateConversationTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private UpdateConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Changes_priority_and_metadata_as_two_activities_in_one_save()
    {
        var conversation = _scenario.StoredConversation();
        var raised = new List<string>();
        _scenario.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .Callback(() => raised.AddRange(conversation.DomainEvents.OfType<ConversationActivity>().Select(a => a.Type)))
            .Returns(Task.CompletedTask);

        var result = await Handler().Handle(new UpdateConversationCommand(conversation.Id, ConversationPriority.Urgent,
            HandlerScenario.Json("""{"subject":"Refund for Zoë"}""")), CancellationToken.None);

        result.Conversation.Priority.ShouldBe(ConversationPriority.Urgent);
        result.Conversation.Metadata.GetProperty("subject").GetString().ShouldBe("Refund for Zoë");
        result.Conversation.SearchVector.ShouldBe("refund for zoe");
        raised.ShouldBe([ActivityTypes.PriorityChanged, ActivityTypes.MetadataChanged]);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task Absent_fields_stay_as_they_are()
    {
        var conversation = _scenario.StoredConversation(arrange: c => c.ReplaceMetadata(ConversationMetadata.FromJson("""{"a":"b"}"""), _scenario.Now));

        var result = await Handler().Handle(new UpdateConversationCommand(conversation.Id, ConversationPriority.Low, null), CancellationToken.None);

        result.Conversation.Metadata.GetRawText().ShouldBe("""{"a":"b"}""");
        result.Conversation.Priority.ShouldBe(ConversationPriority.Low);
    }

    [Test]
    public async Task The_current_values_change_nothing()
    {
        var conversation = _scenario.StoredConversation();
        var (version, updatedAt) = (conversation.Version, conversation.UpdatedAt);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Handler().Handle(new UpdateConversationCommand(conversation.Id, ConversationPriority.Normal,
            HandlerScenario.Json("{}")), CancellationToken.None);

        result.Version.ShouldBe(version);
        result.Conversation.UpdatedAt.ShouldBe(updatedAt);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public async Task A_closed_conversation_can_be_updated()
    {
        var conversation = _scenario.StoredConversation(arrange: c => c.Close(null, _scenario.Now));

        var result = await Handler().Handle(new UpdateConversationCommand(conversation.Id, ConversationPriority.High, null), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Closed);
        result.Conversation.Priority.ShouldBe(ConversationPriority.High);
    }

    [Test]
    public async Task An_empty_patch_of_an_ended_snooze_still_records_the_wake()
    {
        var conversation = _scenario.StoredConversation(arrange: c => c.Snooze(_scenario.Now.AddMinutes(5), _scenario.Now));
        _scenario.Clock.Advance(TimeSpan.FromMinutes(6));

        var result = await Handler().Handle(new UpdateConversationCommand(conversation.Id, null, null), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Open);
        conversation.DomainEvents.OfType<ConversationActivity>().ShouldHaveSingleItem().Actor.ShouldBe(ActivityActor.System);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task A_conversation_not_in_the_organization_is_conversation_not_found()
    {
        await Should.ThrowAsync<ConversationNotFoundException>(
            Handler().Handle(new UpdateConversationCommand(ConversationId.New(), ConversationPriority.High, null), CancellationToken.None).AsTask());
        _scenario.NeverSaved();
    }

    [Test]
    public async Task Metadata_must_be_an_object_and_priority_a_known_value()
    {
        var errors = await WireValidation.ErrorsOf(new UpdateConversationCommandValidator(),
            new UpdateConversationCommand(ConversationId.New(), (ConversationPriority)42, HandlerScenario.Json("[1,2]")));

        errors["metadata"].ShouldBe(["must be a JSON object"]);
        errors["priority"].ShouldBe(["must be one of: low, normal, high, urgent"]);
    }

    [Test]
    public async Task Metadata_over_16_KiB_is_refused()
    {
        var big = HandlerScenario.Json($$"""{"blob":"{{new string('x', ConversationMetadata.MaxSerializedBytes)}}"}""");

        var errors = await WireValidation.ErrorsOf(new UpdateConversationCommandValidator(),
            new UpdateConversationCommand(ConversationId.New(), null, big));

        errors["metadata"].ShouldBe([$"must be at most {ConversationMetadata.MaxSerializedBytes} bytes serialized"]);
    }
}
