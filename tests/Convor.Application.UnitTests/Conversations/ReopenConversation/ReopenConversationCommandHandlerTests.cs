using Convor.Application.Common;
using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.ReopenConversation;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Conversations.ReopenConversation;

public sealed class ReopenConversationCommandHandlerTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private ReopenConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Reopens_a_closed_conversation_saves_and_returns_it_with_its_new_version()
    {
        var conversation = _scenario.StoredConversation(arrange: c => c.Close(null, _scenario.Now));

        var result = await Handler().Handle(new ReopenConversationCommand(conversation.Id), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Open);
        result.Conversation.ResolvedBy.ShouldBeNull();
        result.Version.ShouldBe(conversation.Version);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task An_open_conversation_is_returned_unchanged()
    {
        var conversation = _scenario.StoredConversation();
        var version = conversation.Version;

        var result = await Handler().Handle(new ReopenConversationCommand(conversation.Id), CancellationToken.None);

        result.Version.ShouldBe(version);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public async Task A_conversation_not_in_the_organization_is_conversation_not_found()
    {
        var exception = await Should.ThrowAsync<ConversationNotFoundException>(
            Handler().Handle(new ReopenConversationCommand(ConversationId.New()), CancellationToken.None).AsTask());

        exception.Code.ShouldBe("conversation_not_found");
        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_stale_expected_version_is_precondition_failed_and_changes_nothing()
    {
        var conversation = _scenario.StoredConversation(arrange: c => c.Close(null, _scenario.Now));

        await Should.ThrowAsync<PreconditionFailedException>(
            Handler().Handle(new ReopenConversationCommand(conversation.Id, ExpectedVersion.Of(1)), CancellationToken.None).AsTask());

        conversation.Status.ShouldBe(ConversationStatus.Closed);
        _scenario.NeverSaved();
    }
}
