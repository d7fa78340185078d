using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Application.Conversations.ListConversationEvents;
using Convor.Domain.Common;
using Moq;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Conversations.ListConversationEvents;

public sealed class ListConversationEventsTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();
    private readonly ConversationId _conversationId = ConversationId.New();

    private ListConversationEventsQueryHandler Handler() => new(_scenario.Caller.Object, _scenario.ConversationQueries.Object);

    private ActivityLogItem Item(long version, string type) => new(version, new ConversationEventResponse
    {
        Id = Guid.CreateVersion7(),
        ConversationId = _conversationId.Value,
        Type = type,
        Actor = "apiKey:" + Guid.Empty,
        Data = JsonDocument.Parse("""{"before":{},"after":{}}""").RootElement.Clone(),
        OccurredAt = _scenario.Now,
    });

    private void EventsAre(long afterVersion, params ActivityLogItem[] items) =>
        _scenario.ConversationQueries
            .Setup(q => q.ListEventsAsync(_scenario.OrganizationId, _conversationId, afterVersion, It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(items);

    [Test]
    public async Task Returns_the_log_in_the_order_read_with_a_cursor_when_more_entries_exist()
    {
        EventsAre(0, Item(1, "created"), Item(2, "assigned"), Item(3, "closed"));

        var page = await Handler().Handle(new ListConversationEventsQuery(_conversationId, Limit: 2), CancellationToken.None);

        page.Data.Select(e => e.Type).ShouldBe(["created", "assigned"]);
        ConversationVersionList.Events.TryDecode(page.NextCursor!, _conversationId, out _).ShouldBe(2);
        _scenario.ConversationQueries.Verify(q => q.ListEventsAsync(_scenario.OrganizationId, _conversationId, 0, 3, It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task A_cursor_continues_after_its_version()
    {
        EventsAre(2, Item(3, "closed"));

        var page = await Handler().Handle(
            new ListConversationEventsQuery(_conversationId, Cursor: ConversationVersionList.Events.Encode(2, _conversationId)), CancellationToken.None);

        page.Data.ShouldHaveSingleItem().Type.ShouldBe("closed");
        page.NextCursor.ShouldBeNull();
        _scenario.ConversationQueries.Verify(q => q.ExistsAsync(It.IsAny<OrganizationId>(), It.IsAny<ConversationId>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task No_entries_for_a_conversation_outside_the_organization_is_conversation_not_found()
    {
        EventsAre(0);
        _scenario.ConversationQueries.Setup(q => q.ExistsAsync(_scenario.OrganizationId, _conversationId, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        await Should.ThrowAsync<ConversationNotFoundException>(
            Handler().Handle(new ListConversationEventsQuery(_conversationId), CancellationToken.None).AsTask());
    }

    [Test]
    public async Task Past_the_end_of_an_existing_log_is_an_empty_page()
    {
        EventsAre(9);
        _scenario.ConversationQueries.Setup(q => q.ExistsAsync(_scenario.OrganizationId, _conversationId, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var page = await Handler().Handle(
            new ListConversationEventsQuery(_conversationId, Cursor: ConversationVersionList.Events.Encode(9, _conversationId)), CancellationToken.None);

        page.Data.ShouldBeEmpty();
        page.NextCursor.ShouldBeNull();
    }

    [Test]
    public async Task A_cursor_of_another_conversations_log_is_refused()
    {
        var errors = await WireValidation.ErrorsOf(new ListConversationEventsQueryValidator(),
            new ListConversationEventsQuery(_conversationId, Cursor: ConversationVersionList.Events.Encode(3, ConversationId.New())));

        errors["cursor"].ShouldBe([PageCursor.ForeignMessage]);
    }

    [Test]
    public async Task Limit_must_be_between_1_and_100()
    {
        var errors = await WireValidation.ErrorsOf(new ListConversationEventsQueryValidator(),
            new ListConversationEventsQuery(_conversationId, Limit: 101));

        errors["limit"].ShouldBe([PageLimit.Message]);
    }
}
