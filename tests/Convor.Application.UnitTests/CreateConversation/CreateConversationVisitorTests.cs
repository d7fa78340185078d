using Convor.Application.Conversations.CreateConversation;
using Convor.Application.UnitTests.Common;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Visitors;
using Moq;

namespace Convor.Application.UnitTests.CreateConversation;

/// <summary>The visitor of a new conversation: implicit (created with it) or an existing one of the organization.</summary>
public sealed class CreateConversationVisitorTests
{
    private LifecycleHandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private CreateConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.Visitors.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Without_a_visitor_a_new_visitor_of_the_organization_is_created_with_it()
    {
        Visitor? added = null;
        _scenario.Visitors.Setup(v => v.Add(It.IsAny<Visitor>())).Callback<Visitor>(v => added = v);

        var result = await Handler().Handle(new CreateConversationCommand(null, ConversationChannel.Email, null, null), CancellationToken.None);

        added.ShouldNotBeNull().OrganizationId.ShouldBe(_scenario.OrgId);
        result.Conversation.VisitorId.ShouldBe(added.Id.Value);
        result.Conversation.Priority.ShouldBe(ConversationPriority.Normal);
        result.Conversation.SearchVector.ShouldBe("");
        _scenario.VerifySavedOnce();
    }

    [Test]
    public async Task An_existing_visitor_of_the_organization_is_reused()
    {
        var visitor = Visitor.Create(_scenario.OrgId, _scenario.Now);
        _scenario.Visitors.Setup(v => v.FindAsync(_scenario.OrgId, visitor.Id, It.IsAny<CancellationToken>())).ReturnsAsync(visitor);

        var result = await Handler().Handle(new CreateConversationCommand(visitor.Id, ConversationChannel.Api, ConversationPriority.High,
            LifecycleHandlerScenario.Json("""{"subject":"Hello"}""")), CancellationToken.None);

        result.Conversation.VisitorId.ShouldBe(visitor.Id.Value);
        result.Conversation.SearchVector.ShouldBe("hello");
        _scenario.Visitors.Verify(v => v.Add(It.IsAny<Visitor>()), Times.Never);
    }

    [Test]
    public async Task A_visitor_not_found_in_the_organization_is_invalid_visitor()
    {
        var exception = await Should.ThrowAsync<InvalidVisitorException>(
            Handler().Handle(new CreateConversationCommand(VisitorId.New(), ConversationChannel.Widget, null, null), CancellationToken.None).AsTask());

        exception.Code.ShouldBe("invalid_visitor");
        _scenario.Conversations.Verify(c => c.Add(It.IsAny<Conversation>()), Times.Never);
        _scenario.VerifyNeverSaved();
    }
}
