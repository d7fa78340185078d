using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Application.Conversations.ListConversations;
using Convor.Application.Operators.ListOperators;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Moq;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Conversations.ListConversations;

public sealed class ListConversationsTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private ListConversationsQueryHandler Handler() => new(_scenario.Caller.Object, _scenario.ConversationQueries.Object, _scenario.Clock);

    private static Task<IReadOnlyDictionary<string, string[]>> Validate(ListConversationsQuery query) =>
        WireValidation.ErrorsOf(new ListConversationsQueryValidator(), query);

    private ConversationResponse Row(int minutesAgo, ConversationStatus status = ConversationStatus.Open, DateTimeOffset? snoozedUntil = null) => new()
    {
        Id = Guid.CreateVersion7(),
        OrgId = _scenario.OrganizationId.Value,
        VisitorId = Guid.CreateVersion7(),
        AssignedOperatorId = null,
        Status = status,
        Priority = ConversationPriority.Normal,
        ResolvedBy = null,
        Channel = ConversationChannel.Widget,
        AiActive = true,
        SnoozedUntil = snoozedUntil,
        LastMessageAt = _scenario.Now.AddMinutes(-minutesAgo),
        Metadata = JsonDocument.Parse("{}").RootElement.Clone(),
        CreatedAt = _scenario.Now.AddHours(-1),
        UpdatedAt = _scenario.Now.AddHours(-1),
        SearchVector = "",
    };

    private void QueriesReturn(params ConversationResponse[] rows) =>
        _scenario.ConversationQueries
            .Setup(q => q.ListAsync(_scenario.OrganizationId, It.IsAny<ConversationListFilter>(), It.IsAny<ConversationListPosition?>(),
                It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(rows);

    [Test]
    public void Search_words_are_normalized_like_the_search_text_and_deduplicated()
    {
        var filter = new ListConversationsQuery(Q: "  Zoë REFUND zoe, refund!").ToFilter();

        filter.SearchTokens.ShouldBe(["zoe", "refund"]);
    }

    [Test]
    public void Several_values_of_a_filter_become_one_distinct_ordered_set_and_none_is_no_filter()
    {
        var op = Guid.CreateVersion7();
        var filter = new ListConversationsQuery(
            Status: [ConversationStatus.Closed, ConversationStatus.Open, ConversationStatus.Closed],
            Priority: [ConversationPriority.Urgent, ConversationPriority.Low],
            Channel: [],
            AssignedOperatorId: [op, op]).ToFilter();

        filter.Statuses.ShouldBe([ConversationStatus.Open, ConversationStatus.Closed]);
        filter.Priorities.ShouldBe([ConversationPriority.Low, ConversationPriority.Urgent]);
        filter.Channels.ShouldBeEmpty();
        filter.AssignedOperatorIds.ShouldBe([new OperatorId(op)]);
        var none = new ListConversationsQuery().ToFilter();
        (none.Statuses.Count, none.Priorities.Count, none.Channels.Count, none.AssignedOperatorIds.Count).ShouldBe((0, 0, 0, 0));
    }

    [Test]
    public void A_cursor_is_bound_to_the_set_of_values_not_to_their_order_or_repetition()
    {
        var openOrClosed = new ListConversationsQuery(Status: [ConversationStatus.Open, ConversationStatus.Closed]).ToFilter();
        var closedOrOpen = new ListConversationsQuery(Status: [ConversationStatus.Closed, ConversationStatus.Open, ConversationStatus.Open]).ToFilter();
        var openOnly = new ListConversationsQuery(Status: [ConversationStatus.Open]).ToFilter();

        ConversationListCursor.FilterHash(closedOrOpen).ShouldBe(ConversationListCursor.FilterHash(openOrClosed));
        ConversationListCursor.FilterHash(openOnly).ShouldNotBe(ConversationListCursor.FilterHash(openOrClosed));
        ConversationListCursor.FilterHash(new ListConversationsQuery(Status: []).ToFilter())
            .ShouldBe(ConversationListCursor.FilterHash(new ListConversationsQuery().ToFilter()));
    }

    [Test]
    public void Unassigned_false_is_no_filter()
    {
        new ListConversationsQuery(Unassigned: false).ToFilter().UnassignedOnly.ShouldBeFalse();
        new ListConversationsQuery(Unassigned: true).ToFilter().UnassignedOnly.ShouldBeTrue();
    }

    [Test]
    public async Task Asks_for_one_row_more_than_the_limit_and_returns_a_cursor_after_the_last_row_shown()
    {
        var rows = new[] { Row(1), Row(2), Row(3) };
        QueriesReturn(rows);

        var page = await Handler().Handle(new ListConversationsQuery(Limit: 2), CancellationToken.None);

        page.Data.Select(c => c.Id).ShouldBe([rows[0].Id, rows[1].Id]);
        page.NextCursor.ShouldNotBeNull();
        var position = ConversationListCursor.TryDecode(page.NextCursor, new ListConversationsQuery().ToFilter(), out _).ShouldNotBeNull();
        position.ShouldBe(new ConversationListPosition(rows[1].LastMessageAt, rows[1].CreatedAt, new ConversationId(rows[1].Id)));
        _scenario.ConversationQueries.Verify(q => q.ListAsync(_scenario.OrganizationId, It.IsAny<ConversationListFilter>(), null, 3,
            _scenario.Now, It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task The_last_page_has_no_cursor()
    {
        QueriesReturn(Row(1), Row(2));

        var page = await Handler().Handle(new ListConversationsQuery(Limit: 2), CancellationToken.None);

        page.Data.Count.ShouldBe(2);
        page.NextCursor.ShouldBeNull();
    }

    [Test]
    public async Task The_default_limit_is_25()
    {
        QueriesReturn();

        var page = await Handler().Handle(new ListConversationsQuery(), CancellationToken.None);

        page.Data.ShouldBeEmpty();
        page.NextCursor.ShouldBeNull();
        _scenario.ConversationQueries.Verify(q => q.ListAsync(_scenario.OrganizationId, It.IsAny<ConversationListFilter>(), null, PageLimit.Default + 1,
            It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task A_cursor_continues_after_the_position_it_carries_with_the_same_filters()
    {
        var filter = new ListConversationsQuery(Status: [ConversationStatus.Open], Q: "refund").ToFilter();
        var last = Row(5);
        var cursor = ConversationListCursor.Encode(last, filter);
        QueriesReturn();

        await Handler().Handle(new ListConversationsQuery(Status: [ConversationStatus.Open], Q: "Refund", Cursor: cursor), CancellationToken.None);

        _scenario.ConversationQueries.Verify(q => q.ListAsync(_scenario.OrganizationId,
            It.Is<ConversationListFilter>(f => f.Statuses.SequenceEqual(new[] { ConversationStatus.Open }) && f.SearchTokens.SequenceEqual(new[] { "refund" })),
            new ConversationListPosition(last.LastMessageAt, last.CreatedAt, new ConversationId(last.Id)),
            PageLimit.Default + 1, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task A_row_whose_snooze_has_ended_is_shown_open()
    {
        QueriesReturn(Row(1, ConversationStatus.Snoozed, snoozedUntil: _scenario.Now.AddSeconds(-1)), Row(2, ConversationStatus.Snoozed, snoozedUntil: _scenario.Now.AddHours(1)));

        var page = await Handler().Handle(new ListConversationsQuery(), CancellationToken.None);

        page.Data[0].Status.ShouldBe(ConversationStatus.Open);
        page.Data[0].SnoozedUntil.ShouldBeNull();
        page.Data[1].Status.ShouldBe(ConversationStatus.Snoozed);
    }

    [Test]
    public async Task A_cursor_without_a_last_message_round_trips()
    {
        var row = Row(1) with { LastMessageAt = null };
        var filter = new ListConversationsQuery().ToFilter();

        var position = ConversationListCursor.TryDecode(ConversationListCursor.Encode(row, filter), filter, out var error);

        error.ShouldBeNull();
        position.ShouldBe(new ConversationListPosition(null, row.CreatedAt, new ConversationId(row.Id)));
        (await Validate(new ListConversationsQuery(Cursor: ConversationListCursor.Encode(row, filter)))).ShouldBeEmpty();
    }

    [TestCase(0)]
    [TestCase(101)]
    [TestCase(-5)]
    public async Task Limit_must_be_between_1_and_100(int limit)
    {
        (await Validate(new ListConversationsQuery(Limit: limit)))["limit"].ShouldBe(["must be between 1 and 100"]);
    }

    [TestCase(1)]
    [TestCase(100)]
    public async Task Limits_at_the_bounds_are_valid(int limit)
    {
        (await Validate(new ListConversationsQuery(Limit: limit))).ShouldBeEmpty();
    }

    [Test]
    public async Task A_malformed_cursor_is_a_cursor_error()
    {
        foreach (var cursor in new[] { "not-a-cursor", "", "%%%", "eyJ2IjoxfQ", new string('A', 600) })
            (await Validate(new ListConversationsQuery(Cursor: cursor)))["cursor"].ShouldBe([PageCursor.MalformedMessage], cursor);
    }

    [Test]
    public async Task A_cursor_issued_for_other_filters_is_refused()
    {
        var cursor = ConversationListCursor.Encode(Row(1), new ListConversationsQuery(Status: [ConversationStatus.Open]).ToFilter());

        var errors = await Validate(new ListConversationsQuery(Status: [ConversationStatus.Closed], Cursor: cursor));

        errors["cursor"].ShouldBe([PageCursor.ForeignMessage]);
    }

    [Test]
    public async Task A_cursor_of_the_operator_list_is_refused()
    {
        var cursor = OperatorListCursor.Encode(new OperatorResponse
        {
            Id = Guid.CreateVersion7(), OrgId = Guid.CreateVersion7(), Name = "n", Email = "e@x.test",
            Role = Domain.Operators.OperatorRole.Agent, Active = true, Availability = Domain.Operators.OperatorAvailability.Offline,
            MaxConversations = 5, OpenConversations = 0, CreatedAt = _scenario.Now, UpdatedAt = _scenario.Now,
        }, new OperatorListFilter([]));

        (await Validate(new ListConversationsQuery(Cursor: cursor)))["cursor"].ShouldBe([PageCursor.ForeignMessage]);
    }

    [Test]
    public async Task Unassigned_cannot_be_combined_with_an_operator()
    {
        var errors = await Validate(new ListConversationsQuery(AssignedOperatorId: [Guid.CreateVersion7()], Unassigned: true));

        errors["unassigned"].ShouldBe(["cannot be combined with assignedOperatorId"]);
    }

    [Test]
    public async Task Q_is_at_most_200_characters_and_10_words()
    {
        (await Validate(new ListConversationsQuery(Q: new string('a', 201))))["q"].ShouldBe(["must be at most 200 characters"]);
        (await Validate(new ListConversationsQuery(Q: string.Join(' ', Enumerable.Range(1, 11).Select(i => "w" + i)))))["q"]
            .ShouldBe(["must have at most 10 words"]);
        (await Validate(new ListConversationsQuery(Q: string.Join(' ', Enumerable.Range(1, 10).Select(i => "w" + i))))).ShouldBeEmpty();
    }

    [Test]
    public async Task Every_problem_is_reported_at_once()
    {
        var errors = await Validate(new ListConversationsQuery(Limit: 0, Cursor: "junk", AssignedOperatorId: [Guid.Empty]));

        errors.Keys.ShouldBe(["assignedOperatorId", "limit", "cursor"], ignoreOrder: true);
    }
}
