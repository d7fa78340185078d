using Convor.Application.Common.Models;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Mapping;
using Convor.Application.Operators.GetOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Moq;

namespace Convor.Application.UnitTests.Operators.GetOperator;

public sealed class GetOperatorHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private GetOperatorQueryHandler Handler() => new(_scenario.Caller.Object, _scenario.OperatorQueries.Object);

    [Test]
    public async Task Reading_asks_the_query_service_in_the_callers_organization_and_returns_its_answer()
    {
        var stored = new OperatorWithLoad { Operator = _scenario.StoredOperator(), OpenConversations = 2 }.ToResponse();
        var id = new OperatorId(stored.Id);
        _scenario.OperatorQueries.Setup(q => q.GetAsync(_scenario.OrganizationId, id, It.IsAny<CancellationToken>())).ReturnsAsync(stored);

        var response = await Handler().Handle(new GetOperatorQuery(id), CancellationToken.None);

        response.ShouldBe(stored);
        _scenario.OperatorQueries.Verify(q => q.GetAsync(_scenario.OrganizationId, id, It.IsAny<CancellationToken>()), Times.Once);
        _scenario.OperatorQueries.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_unknown_operator_is_operator_not_found()
    {
        var exception = await Should.ThrowAsync<OperatorNotFoundException>(async () =>
            await Handler().Handle(new GetOperatorQuery(OperatorId.New()), CancellationToken.None));

        exception.Code.ShouldBe("operator_not_found");
        exception.ShouldBeAssignableTo<NotFoundException>();
    }

    [Test]
    public async Task An_operator_of_another_organization_is_not_found()
    {
        var theirs = _scenario.StoredOperator(_scenario.OtherOrganizationId);
        _scenario.OperatorQueries.Setup(q => q.GetAsync(_scenario.OtherOrganizationId, theirs.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OperatorWithLoad { Operator = theirs, OpenConversations = 0 }.ToResponse());

        var exception = await Should.ThrowAsync<OperatorNotFoundException>(async () =>
            await Handler().Handle(new GetOperatorQuery(theirs.Id), CancellationToken.None));

        exception.Message.ShouldBe(new OperatorNotFoundException().Message);
        _scenario.OperatorQueries.Verify(q => q.GetAsync(It.Is<OrganizationId>(o => o != _scenario.OrganizationId),
            It.IsAny<OperatorId>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
