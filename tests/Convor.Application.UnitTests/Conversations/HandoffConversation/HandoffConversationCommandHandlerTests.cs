using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.HandoffConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Routing;
using Convor.Domain.Visitors;
using Moq;

namespace Convor.Application.UnitTests.Conversations.HandoffConversation;

public sealed class HandoffConversationCommandHandlerTests
{
    private HandlerScenario _scenario = null!;
    private ConversationId _id;

    [SetUp]
    public void CreateScenario()
    {
        _scenario = new();
        var visitor = Visitor.Create(_scenario.OrganizationId, _scenario.Now);
        var template = Conversation.Create(_scenario.OrganizationId, visitor, ConversationChannel.Widget, ConversationPriority.Normal, null, _scenario.Now);
        _id = template.Id;
        // Every load is fresh state, as a reload from the database after a lost race is.
        _scenario.Conversations.Setup(r => r.FindAsync(_scenario.OrganizationId, _id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Fresh(template));
    }

    private static Conversation Fresh(Conversation template)
    {
        var copy = (Conversation)typeof(object).GetMethod("MemberwiseClone", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.Invoke(template, null)!;
        return copy;
    }

    private HandoffConversationCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Conversations.Object, _scenario.Operators.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    private Operator Online()
    {
        var @operator = Operator.Create(_scenario.OrganizationId, "Ada", "ada@example.test", OperatorRole.Agent, true, _scenario.Now, OperatorAvailability.Online);
        _scenario.Operators.Setup(r => r.LoadRoutingCandidatesAsync(_scenario.OrganizationId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => [new RoutingCandidate(@operator, 0)]);
        return @operator;
    }

    [Test]
    public async Task Loads_the_candidates_of_the_callers_organization_routes_and_saves_once()
    {
        var @operator = Online();

        var result = await Handler().Handle(new HandoffConversationCommand(_id), CancellationToken.None);

        result.Conversation.AssignedOperatorId.ShouldBe(@operator.Id.Value);
        _scenario.Operators.Verify(r => r.LoadRoutingCandidatesAsync(_scenario.OrganizationId, It.IsAny<CancellationToken>()), Times.Once);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task A_lost_race_on_the_operator_is_routed_again_on_fresh_state()
    {
        var @operator = Online();
        _scenario.UnitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrencyConflictException())
            .Returns(Task.CompletedTask);

        var result = await Handler().Handle(new HandoffConversationCommand(_id), CancellationToken.None);

        result.Conversation.AssignedOperatorId.ShouldBe(@operator.Id.Value);
        _scenario.UnitOfWork.Verify(u => u.DiscardChanges(), Times.Once);
        _scenario.Operators.Verify(r => r.LoadRoutingCandidatesAsync(_scenario.OrganizationId, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task After_every_routing_attempt_lost_its_race_the_conversation_waits_for_the_queue_instead_of_failing()
    {
        Online();
        var saves = _scenario.UnitOfWork.SetupSequence(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()));
        for (var i = 0; i < HandoffConversationCommandHandler.RoutingAttempts; i++) saves = saves.ThrowsAsync(new ConcurrencyConflictException());
        saves.Returns(Task.CompletedTask);

        var result = await Handler().Handle(new HandoffConversationCommand(_id), CancellationToken.None);

        result.Conversation.AssignedOperatorId.ShouldBeNull();
        result.Conversation.AiActive.ShouldBeFalse();
        _scenario.Operators.Verify(r => r.LoadRoutingCandidatesAsync(_scenario.OrganizationId, It.IsAny<CancellationToken>()),
            Times.Exactly(HandoffConversationCommandHandler.RoutingAttempts));
    }

    [Test]
    public async Task An_unknown_conversation_is_conversation_not_found_and_nothing_is_saved()
    {
        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new HandoffConversationCommand(ConversationId.New()), CancellationToken.None));
        _scenario.NeverSaved();
    }
}
