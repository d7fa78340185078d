using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Conversations.GetConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Moq;

namespace Convor.Application.UnitTests.Conversations.GetConversation;

public sealed class GetConversationHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private GetConversationQueryHandler Handler() => new(_scenario.Caller.Object, _scenario.ConversationQueries.Object, _scenario.Clock);

    private ConversationResult StoredResult(ConversationResult result, OrganizationId organizationId)
    {
        _scenario.ConversationQueries
            .Setup(q => q.GetAsync(organizationId, new ConversationId(result.Conversation.Id), It.IsAny<CancellationToken>()))
            .ReturnsAsync(result);
        return result;
    }

    [Test]
    public async Task Reading_asks_the_query_service_in_the_callers_organization_and_returns_its_answer()
    {
        var conversation = _scenario.StoredConversation();
        var stored = StoredResult(conversation.ToResult(), _scenario.OrganizationId);

        var result = await Handler().Handle(new GetConversationQuery(conversation.Id), CancellationToken.None);

        result.ShouldBe(stored);
        _scenario.ConversationQueries.Verify(q => q.GetAsync(_scenario.OrganizationId, conversation.Id, It.IsAny<CancellationToken>()), Times.Once);
        _scenario.ConversationQueries.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_unknown_conversation_is_conversation_not_found()
    {
        var exception = await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new GetConversationQuery(ConversationId.New()), CancellationToken.None));

        exception.Code.ShouldBe("conversation_not_found");
    }

    [Test]
    public async Task A_conversation_of_another_organization_is_not_found()
    {
        var theirs = _scenario.StoredConversation(_scenario.OtherOrganizationId);
        StoredResult(theirs.ToResult(), _scenario.OtherOrganizationId);

        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Handler().Handle(new GetConversationQuery(theirs.Id), CancellationToken.None));

        _scenario.ConversationQueries.Verify(q => q.GetAsync(It.Is<OrganizationId>(o => o != _scenario.OrganizationId),
            It.IsAny<ConversationId>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_snooze_that_has_ended_reads_as_open_without_a_snooze_end()
    {
        var conversation = _scenario.StoredConversation();
        conversation.Snooze(_scenario.Now.AddMinutes(30), _scenario.Now);
        StoredResult(conversation.ToResult(), _scenario.OrganizationId);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(30));

        var result = await Handler().Handle(new GetConversationQuery(conversation.Id), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Open);
        result.Conversation.SnoozedUntil.ShouldBeNull();
        result.Version.ShouldBe(conversation.Version);
    }

    [Test]
    public async Task A_snooze_still_running_reads_as_snoozed()
    {
        var conversation = _scenario.StoredConversation();
        conversation.Snooze(_scenario.Now.AddMinutes(30), _scenario.Now);
        StoredResult(conversation.ToResult(), _scenario.OrganizationId);
        _scenario.Clock.Advance(TimeSpan.FromMinutes(29));

        var result = await Handler().Handle(new GetConversationQuery(conversation.Id), CancellationToken.None);

        result.Conversation.Status.ShouldBe(ConversationStatus.Snoozed);
        result.Conversation.SnoozedUntil.ShouldBe(conversation.SnoozedUntil);
    }
}
