using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.SnoozeConversation;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Conversations.SnoozeConversation;

public sealed class SnoozeConversationTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private SnoozeConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Snoozes_until_the_given_instant_and_saves()
    {
        var conversation = _scenario.StoredConversation();
        var until = _scenario.Now.AddHours(4);

        var result = await Handler().Handle(new SnoozeConversationCommand(conversation.Id, until), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Snoozed);
        result.Conversation.SnoozedUntil.ShouldBe(until);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task A_closed_conversation_is_conversation_closed_and_nothing_is_saved()
    {
        var conversation = _scenario.StoredConversation(arrange: c => c.Close(null, _scenario.Now));

        await Should.ThrowAsync<ConversationClosedException>(
            Handler().Handle(new SnoozeConversationCommand(conversation.Id, _scenario.Now.AddHours(1)), CancellationToken.None).AsTask());

        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_conversation_not_in_the_organization_is_conversation_not_found()
    {
        await Should.ThrowAsync<ConversationNotFoundException>(
            Handler().Handle(new SnoozeConversationCommand(ConversationId.New(), _scenario.Now.AddHours(1)), CancellationToken.None).AsTask());
    }

    [Test]
    public async Task Until_is_required()
    {
        var errors = await WireValidation.ErrorsOf(new SnoozeConversationCommandValidator(_scenario.Clock),
            new SnoozeConversationCommand(ConversationId.New(), null));

        errors["until"].ShouldBe(["is required"]);
    }

    [TestCase(0)]
    [TestCase(-30)]
    public async Task Until_must_be_in_the_future_of_the_clock(int secondsFromNow)
    {
        var errors = await WireValidation.ErrorsOf(new SnoozeConversationCommandValidator(_scenario.Clock),
            new SnoozeConversationCommand(ConversationId.New(), _scenario.Now.AddSeconds(secondsFromNow)));

        errors["until"].ShouldBe(["must be in the future"]);
    }

    [Test]
    public async Task A_future_until_is_valid()
    {
        var errors = await WireValidation.ErrorsOf(new SnoozeConversationCommandValidator(_scenario.Clock),
            new SnoozeConversationCommand(ConversationId.New(), _scenario.Now.AddMilliseconds(1)));

        errors.ShouldBeEmpty();
    }
}
