using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Application.Operators.ListOperators;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Moq;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Operators.ListOperators;

public sealed class ListOperatorsTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private static readonly OperatorListFilter NoFilter = new([]);

    private ListOperatorsQueryHandler Handler() => new(_scenario.Caller.Object, _scenario.OperatorQueries.Object);

    private OperatorResponse Row(int minutes) => new()
    {
        Id = Guid.CreateVersion7(),
        OrgId = _scenario.OrganizationId.Value,
        Name = "Op " + minutes,
        Email = $"op{minutes}@example.test",
        Role = OperatorRole.Agent,
        Active = true,
        Availability = OperatorAvailability.Online,
        MaxConversations = 5,
        OpenConversations = minutes,
        CreatedAt = _scenario.Now.AddMinutes(minutes),
        UpdatedAt = _scenario.Now.AddMinutes(minutes),
    };

    [Test]
    public async Task Pages_with_a_cursor_after_the_last_operator_shown()
    {
        var rows = new[] { Row(1), Row(2), Row(3) };
        _scenario.OperatorQueries.Setup(q => q.ListAsync(_scenario.OrganizationId, It.IsAny<OperatorListFilter>(), null, 3, It.IsAny<CancellationToken>())).ReturnsAsync(rows);

        var page = await Handler().Handle(new ListOperatorsQuery(Limit: 2), CancellationToken.None);

        page.Data.ShouldBe(rows[..2]);
        OperatorListCursor.TryDecode(page.NextCursor!, NoFilter, out _).ShouldBe(new OperatorListPosition(rows[1].CreatedAt, new OperatorId(rows[1].Id)));
    }

    [Test]
    public async Task A_cursor_continues_after_its_position()
    {
        var last = Row(2);
        _scenario.OperatorQueries.Setup(q => q.ListAsync(_scenario.OrganizationId, It.IsAny<OperatorListFilter>(), It.IsAny<OperatorListPosition?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);

        var page = await Handler().Handle(new ListOperatorsQuery(Cursor: OperatorListCursor.Encode(last, NoFilter)), CancellationToken.None);

        page.NextCursor.ShouldBeNull();
        _scenario.OperatorQueries.Verify(q => q.ListAsync(_scenario.OrganizationId, It.IsAny<OperatorListFilter>(), new OperatorListPosition(last.CreatedAt, new OperatorId(last.Id)),
            PageLimit.Default + 1, It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task A_malformed_cursor_and_a_bad_limit_are_both_reported()
    {
        var errors = await WireValidation.ErrorsOf(new ListOperatorsQueryValidator(), new ListOperatorsQuery(0, "zzz"));

        errors["limit"].ShouldBe([PageLimit.Message]);
        errors["cursor"].ShouldBe([PageCursor.MalformedMessage]);
    }
}
