using Convor.Application.Common;
using Convor.Application.Common.Exceptions;
using Convor.Application.Conversations.AssignOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Moq;

namespace Convor.Application.UnitTests.Conversations.AssignOperator;

public sealed class AssignOperatorHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private AssignOperatorCommandHandler Handler() => new(_scenario.Caller.Object, _scenario.Conversations.Object,
        _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Assigning_loads_both_rows_in_one_read_in_the_callers_organization_saves_once_and_returns_the_result()
    {
        var conversation = _scenario.StoredConversation();
        var @operator = _scenario.StoredOperator();

        var result = await Handler().Handle(new AssignOperatorCommand(conversation.Id, @operator.Id), CancellationToken.None);

        _scenario.ConversationsLoadedOnlyInCallersOrganization();
        _scenario.OperatorsLoadedOnlyInCallersOrganization();
        _scenario.Conversations.Verify(r => r.FindAsync(It.IsAny<OrganizationId>(), It.IsAny<ConversationId>(), It.IsAny<CancellationToken>()), Times.Never);
        _scenario.Operators.VerifyNoOtherCalls();
        _scenario.SavedOnce();
        result.Conversation.Id.ShouldBe(conversation.Id.Value);
        result.Conversation.AssignedOperatorId.ShouldBe(@operator.Id.Value);
        result.Conversation.AiActive.ShouldBeFalse();
        result.Conversation.UpdatedAt.ShouldBe(_scenario.Now);
        result.Version.ShouldBe(2);
        conversation.DomainEvents.ShouldHaveSingleItem().ShouldBeOfType<OperatorAssigned>();
    }

    [Test]
    public async Task Assigning_passes_the_cancellation_token_to_every_port()
    {
        var conversation = _scenario.StoredConversation();
        var @operator = _scenario.StoredOperator();
        using var cancellation = new CancellationTokenSource();

        await Handler().Handle(new AssignOperatorCommand(conversation.Id, @operator.Id), cancellation.Token);

        _scenario.Conversations.Verify(r => r.FindWithOperatorAsync(_scenario.OrganizationId, conversation.Id, @operator.Id, cancellation.Token));
        _scenario.UnitOfWork.Verify(u => u.SaveChangesAsync(cancellation.Token));
    }

    [Test]
    public async Task An_unknown_conversation_is_conversation_not_found_before_the_operator_is_judged()
    {
        var @operator = _scenario.StoredOperator();

        var exception = await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(ConversationId.New(), @operator.Id), CancellationToken.None));

        exception.Code.ShouldBe("conversation_not_found");
        _scenario.Operators.VerifyNoOtherCalls();
        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_conversation_of_another_organization_is_not_found_and_left_alone()
    {
        var theirs = _scenario.StoredConversation(_scenario.OtherOrganizationId);
        var before = (theirs.Version, theirs.UpdatedAt, theirs.AssignedOperatorId);
        var mine = _scenario.StoredOperator();

        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(theirs.Id, mine.Id), CancellationToken.None));

        _scenario.ConversationsLoadedOnlyInCallersOrganization();
        (theirs.Version, theirs.UpdatedAt, theirs.AssignedOperatorId).ShouldBe(before);
        _scenario.NeverSaved();
    }

    [Test]
    public async Task An_unknown_operator_is_invalid_operator()
    {
        var conversation = _scenario.StoredConversation();

        var exception = await Should.ThrowAsync<InvalidOperatorException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(conversation.Id, OperatorId.New()), CancellationToken.None));

        exception.Code.ShouldBe("invalid_operator");
        _scenario.NeverSaved();
    }

    [Test]
    public async Task An_operator_of_another_organization_is_invalid_operator_like_an_unknown_one()
    {
        var conversation = _scenario.StoredConversation();
        var theirs = _scenario.StoredOperator(_scenario.OtherOrganizationId);

        var exception = await Should.ThrowAsync<InvalidOperatorException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(conversation.Id, theirs.Id), CancellationToken.None));

        exception.Message.ShouldBe(new InvalidOperatorException().Message);
        _scenario.OperatorsLoadedOnlyInCallersOrganization();
        conversation.AssignedOperatorId.ShouldBeNull();
        _scenario.NeverSaved();
    }

    [Test]
    public async Task An_inactive_operator_is_operator_inactive_and_nothing_is_saved()
    {
        var conversation = _scenario.StoredConversation();
        var inactive = _scenario.StoredOperator(active: false);

        await Should.ThrowAsync<OperatorInactiveException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(conversation.Id, inactive.Id), CancellationToken.None));

        _scenario.NeverSaved();
    }

    [Test]
    public async Task A_closed_conversation_is_conversation_closed_and_nothing_is_saved()
    {
        var conversation = _scenario.StoredConversation();
        conversation.Close(null, _scenario.Now);
        var @operator = _scenario.StoredOperator();

        await Should.ThrowAsync<ConversationClosedException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(conversation.Id, @operator.Id), CancellationToken.None));

        _scenario.NeverSaved();
    }

    [Test]
    public async Task Assigning_the_operator_already_assigned_returns_the_conversation_unchanged()
    {
        var conversation = _scenario.StoredConversation();
        var @operator = _scenario.StoredOperator();
        conversation.AssignOperator(@operator, _scenario.Now);
        conversation.ClearDomainEvents();
        var updatedAt = conversation.UpdatedAt;
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Handler().Handle(new AssignOperatorCommand(conversation.Id, @operator.Id), CancellationToken.None);

        result.Conversation.UpdatedAt.ShouldBe(updatedAt);
        result.Version.ShouldBe(2);
        conversation.DomainEvents.ShouldBeEmpty();
    }

    [Test]
    public async Task A_matching_expected_version_lets_the_command_through()
    {
        var conversation = _scenario.StoredConversation();
        var @operator = _scenario.StoredOperator();

        var result = await Handler().Handle(new AssignOperatorCommand(conversation.Id, @operator.Id, ExpectedVersion.Of(1)), CancellationToken.None);

        result.Version.ShouldBe(2);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task A_stale_expected_version_is_precondition_failed_and_changes_nothing()
    {
        var conversation = _scenario.StoredConversation();
        var @operator = _scenario.StoredOperator();

        await Should.ThrowAsync<PreconditionFailedException>(async () =>
            await Handler().Handle(new AssignOperatorCommand(conversation.Id, @operator.Id, ExpectedVersion.Of(7)), CancellationToken.None));

        conversation.AssignedOperatorId.ShouldBeNull();
        conversation.Version.ShouldBe(1);
        _scenario.NeverSaved();
    }
}
