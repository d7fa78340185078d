using Convor.Application.Common;
using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.UnassignConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;

namespace Convor.Application.UnitTests.Conversations.UnassignConversation;

public sealed class UnassignConversationHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private UnassignConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    private Conversation StoredAssignedConversation()
    {
        var conversation = _scenario.StoredConversation();
        conversation.AssignOperator(_scenario.StoredOperator(), _scenario.Now);
        conversation.ClearDomainEvents();
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        return conversation;
    }

    [Test]
    public async Task Unassigning_loads_in_the_callers_organization_saves_once_and_hands_back_to_the_ai()
    {
        var conversation = StoredAssignedConversation();

        var result = await Handler().Handle(new UnassignConversationCommand(conversation.Id), CancellationToken.None);

        _scenario.ConversationsLoadedOnlyInCallersOrganization();
        _scenario.SavedOnce();
        result.Conversation.AssignedOperatorId.ShouldBeNull();
        result.Conversation.AiActive.ShouldBeTrue();
        result.Conversation.UpdatedAt.ShouldBe(_scenario.Now);
        result.Version.ShouldBe(3);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorUnassigned>();
    }

    [Test]
    public async Task Unassigning_an_unassigned_conversation_returns_it_unchanged()
    {
        var conversation = _scenario.StoredConversation();
        var updatedAt = conversation.UpdatedAt;

        var result = await Handler().Handle(new UnassignConversationCommand(conversation.Id), CancellationToken.None);

        result.Conversation.UpdatedAt.ShouldBe(updatedAt);
        result.Version.ShouldBe(1);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public async Task An_unknown_conversation_is_conversation_not_found()
    {
        var exception = await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new UnassignConversationCommand(ConversationId.New()), CancellationToken.None));

        exception.Code.ShouldBe("conversation_not_found");
        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_conversation_of_another_organization_is_not_found_because_it_is_only_looked_up_in_the_callers()
    {
        var theirs = _scenario.StoredConversation(_scenario.OtherOrganizationId);
        theirs.AssignOperator(_scenario.StoredOperator(_scenario.OtherOrganizationId), _scenario.Now);

        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new UnassignConversationCommand(theirs.Id), CancellationToken.None));

        _scenario.ConversationsLoadedOnlyInCallersOrganization();
        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_closed_conversation_is_conversation_closed_and_nothing_is_saved()
    {
        var conversation = StoredAssignedConversation();
        conversation.Close(null, _scenario.Now);

        await Should.ThrowAsync<ConversationClosedException>(async () =>
            await Handler().Handle(new UnassignConversationCommand(conversation.Id), CancellationToken.None));

        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_stale_expected_version_is_precondition_failed_and_changes_nothing()
    {
        var conversation = StoredAssignedConversation();

        await Should.ThrowAsync<PreconditionFailedException>(async () =>
            await Handler().Handle(new UnassignConversationCommand(conversation.Id, ExpectedVersion.Of(1)), CancellationToken.None));

        conversation.AssignedOperatorId.ShouldNotBeNull();
        _scenario.NeverSaved();
    }
}
