using System.Text.Json;
using Convor.Application.Conversations.CreateConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Visitors;
using Moq;

namespace Convor.Application.UnitTests.Conversations.CreateConversation;

public sealed class CreateConversationHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private CreateConversationCommandHandler Handler() => new(_scenario.Caller.Object, _scenario.Conversations.Object,
        _scenario.Visitors.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Test]
    public async Task Without_a_visitor_a_new_visitor_of_the_callers_organization_is_added_with_the_conversation()
    {
        Visitor? added = null;
        _scenario.Visitors.Setup(v => v.Add(It.IsAny<Visitor>())).Callback<Visitor>(v => added = v);
        Conversation? addedConversation = null;
        _scenario.Conversations.Setup(c => c.Add(It.IsAny<Conversation>())).Callback<Conversation>(c => addedConversation = c);

        var result = await Handler().Handle(new CreateConversationCommand(null, ConversationChannel.Api, null, null), CancellationToken.None);

        added.ShouldNotBeNull().OrganizationId.ShouldBe(_scenario.OrganizationId);
        addedConversation.ShouldNotBeNull().OrganizationId.ShouldBe(_scenario.OrganizationId);
        addedConversation.VisitorId.ShouldBe(added.Id);
        _scenario.Visitors.Verify(v => v.FindAsync(It.IsAny<OrganizationId>(), It.IsAny<VisitorId>(), It.IsAny<CancellationToken>()), Times.Never);
        _scenario.SavedOnce();
        result.Conversation.Id.ShouldBe(addedConversation.Id.Value);
        result.Conversation.OrgId.ShouldBe(_scenario.OrganizationId.Value);
        result.Conversation.VisitorId.ShouldBe(added.Id.Value);
        result.Version.ShouldBe(1);
    }

    [Test]
    public async Task A_new_conversation_has_the_defaults_of_the_contract()
    {
        var result = await Handler().Handle(new CreateConversationCommand(null, ConversationChannel.Widget, null, null), CancellationToken.None);

        var conversation = result.Conversation;
        conversation.Status.ShouldBe(ConversationStatus.Open);
        conversation.Priority.ShouldBe(ConversationPriority.Normal);
        conversation.Channel.ShouldBe(ConversationChannel.Widget);
        conversation.AiActive.ShouldBeTrue();
        conversation.AssignedOperatorId.ShouldBeNull();
        conversation.ResolvedBy.ShouldBeNull();
        conversation.Metadata.GetRawText().ShouldBe("{}");
        conversation.SearchVector.ShouldBe(string.Empty);
        conversation.CreatedAt.ShouldBe(_scenario.Now);
        conversation.UpdatedAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public async Task Priority_and_metadata_of_the_command_are_kept()
    {
        var result = await Handler().Handle(new CreateConversationCommand(null, ConversationChannel.Email, ConversationPriority.Urgent,
            Json("""{ "customer": "Zoë", "tier": 3 }""")), CancellationToken.None);

        result.Conversation.Priority.ShouldBe(ConversationPriority.Urgent);
        result.Conversation.Metadata.GetProperty("customer").GetString().ShouldBe("Zoë");
        result.Conversation.Metadata.GetProperty("tier").GetInt32().ShouldBe(3);
        result.Conversation.SearchVector.ShouldBe("zoe");
    }

    [Test]
    public async Task A_visitor_of_the_callers_organization_is_loaded_there_and_used()
    {
        var visitor = _scenario.StoredVisitor();

        var result = await Handler().Handle(new CreateConversationCommand(visitor.Id, ConversationChannel.Widget, null, null), CancellationToken.None);

        result.Conversation.VisitorId.ShouldBe(visitor.Id.Value);
        _scenario.Visitors.Verify(v => v.FindAsync(_scenario.OrganizationId, visitor.Id, It.IsAny<CancellationToken>()), Times.Once);
        _scenario.Visitors.Verify(v => v.Add(It.IsAny<Visitor>()), Times.Never);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task An_unknown_visitor_is_invalid_visitor_and_nothing_is_added_or_saved()
    {
        var exception = await Should.ThrowAsync<InvalidVisitorException>(async () =>
            await Handler().Handle(new CreateConversationCommand(VisitorId.New(), ConversationChannel.Widget, null, null), CancellationToken.None));

        exception.Code.ShouldBe("invalid_visitor");
        _scenario.Conversations.Verify(c => c.Add(It.IsAny<Conversation>()), Times.Never);
        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_visitor_of_another_organization_is_invalid_visitor_like_an_unknown_one()
    {
        var theirs = _scenario.StoredVisitor(_scenario.OtherOrganizationId);

        var exception = await Should.ThrowAsync<InvalidVisitorException>(async () =>
            await Handler().Handle(new CreateConversationCommand(theirs.Id, ConversationChannel.Widget, null, null), CancellationToken.None));

        exception.Message.ShouldBe(new InvalidVisitorException().Message);
        _scenario.Visitors.Verify(v => v.FindAsync(It.Is<OrganizationId>(o => o != _scenario.OrganizationId),
            It.IsAny<VisitorId>(), It.IsAny<CancellationToken>()), Times.Never);
        _scenario.Conversations.Verify(c => c.Add(It.IsAny<Conversation>()), Times.Never);
        _scenario.NeverSaved();
    }

    [Test]
    public void The_request_body_becomes_the_command()
    {
        var visitorId = Guid.NewGuid();
        var metadata = Json("""{"a":1}""");

        var command = new CreateConversationRequest
        {
            VisitorId = visitorId, Channel = ConversationChannel.Email, Priority = ConversationPriority.Low, Metadata = metadata,
        }.ToCommand();

        command.VisitorId.ShouldBe(new VisitorId(visitorId));
        command.Channel.ShouldBe(ConversationChannel.Email);
        command.Priority.ShouldBe(ConversationPriority.Low);
        command.Metadata!.Value.GetRawText().ShouldBe("""{"a":1}""");
        new CreateConversationRequest().ToCommand().ShouldBe(new CreateConversationCommand(null, null, null, null));
    }
}
