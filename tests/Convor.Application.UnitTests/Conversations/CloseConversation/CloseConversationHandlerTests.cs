using Convor.Application.Common;
using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.CloseConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;

namespace Convor.Application.UnitTests.Conversations.CloseConversation;

public sealed class CloseConversationHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private CloseConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Closing_loads_in_the_callers_organization_saves_once_and_returns_the_closed_conversation()
    {
        var conversation = _scenario.StoredConversation();

        var result = await Handler().Handle(new CloseConversationCommand(conversation.Id, null), CancellationToken.None);

        _scenario.ConversationsLoadedOnlyInCallersOrganization();
        _scenario.SavedOnce();
        result.Conversation.Status.ShouldBe(ConversationStatus.Closed);
        result.Conversation.ResolvedBy.ShouldBe(ResolvedBy.Ai);
        result.Conversation.AiActive.ShouldBeFalse();
        result.Conversation.UpdatedAt.ShouldBe(_scenario.Now);
        result.Version.ShouldBe(2);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<ConversationClosed>();
    }

    [Test]
    public async Task The_resolver_of_the_command_reaches_the_conversation()
    {
        var conversation = _scenario.StoredConversation();

        var result = await Handler().Handle(new CloseConversationCommand(conversation.Id, ResolvedBy.Visitor), CancellationToken.None);

        result.Conversation.ResolvedBy.ShouldBe(ResolvedBy.Visitor);
    }

    [Test]
    public void The_request_body_becomes_a_command_for_the_path_id()
    {
        var id = ConversationId.New();

        var expected = ExpectedVersion.Of(3);

        new CloseConversationRequest { ResolvedBy = ResolvedBy.System }.ToCommand(id, expected)
            .ShouldBe(new CloseConversationCommand(id, ResolvedBy.System, expected));
        new CloseConversationRequest().ToCommand(id, null).ShouldBe(new CloseConversationCommand(id, null));
    }

    [Test]
    public async Task Closing_a_closed_conversation_returns_it_unchanged()
    {
        var conversation = _scenario.StoredConversation();
        conversation.Close(ResolvedBy.Visitor, _scenario.Now);
        conversation.ClearDomainEvents();
        var updatedAt = conversation.UpdatedAt;
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Handler().Handle(new CloseConversationCommand(conversation.Id, ResolvedBy.System), CancellationToken.None);

        result.Conversation.ResolvedBy.ShouldBe(ResolvedBy.Visitor);
        result.Conversation.UpdatedAt.ShouldBe(updatedAt);
        result.Version.ShouldBe(2);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public async Task An_unknown_conversation_is_conversation_not_found()
    {
        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new CloseConversationCommand(ConversationId.New(), null), CancellationToken.None));

        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_conversation_of_another_organization_is_not_found_because_it_is_only_looked_up_in_the_callers()
    {
        var theirs = _scenario.StoredConversation(_scenario.OtherOrganizationId);

        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new CloseConversationCommand(theirs.Id, null), CancellationToken.None));

        _scenario.ConversationsLoadedOnlyInCallersOrganization();
        _scenario.NeverSaved();
    }

    [TestCase(new long[] { 1 })]
    [TestCase(new long[] { 9, 1 })]
    public async Task An_expected_version_naming_the_current_one_lets_the_close_through(long[] versions)
    {
        var conversation = _scenario.StoredConversation();

        var result = await Handler().Handle(new CloseConversationCommand(conversation.Id, null, new ExpectedVersion(versions)), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Closed);
    }

    [TestCase(new long[] { 2 })]
    [TestCase(new long[0])]
    public async Task Any_other_expected_version_is_precondition_failed_and_changes_nothing(long[] versions)
    {
        var conversation = _scenario.StoredConversation();

        await Should.ThrowAsync<PreconditionFailedException>(async () =>
            await Handler().Handle(new CloseConversationCommand(conversation.Id, null, new ExpectedVersion(versions)), CancellationToken.None));

        conversation.Status.ShouldBe(ConversationStatus.Open);
        _scenario.NeverSaved();
    }
}
