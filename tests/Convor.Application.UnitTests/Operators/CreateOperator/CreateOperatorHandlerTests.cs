using Convor.Application.Common.Exceptions;
using Convor.Application.Operators.CreateOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Moq;

namespace Convor.Application.UnitTests.Operators.CreateOperator;

public sealed class CreateOperatorHandlerTests
{
    private readonly HandlerScenario _scenario = new();

    private CreateOperatorCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Operators.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Creating_adds_an_operator_of_the_callers_organization_and_saves_once()
    {
        Operator? added = null;
        _scenario.Operators.Setup(o => o.Add(It.IsAny<Operator>())).Callback<Operator>(o => added = o);

        var response = await Handler().Handle(new CreateOperatorCommand(" Ada ", "Ada@Example.com", OperatorRole.Admin, false), CancellationToken.None);

        added.ShouldNotBeNull().OrganizationId.ShouldBe(_scenario.OrganizationId);
        _scenario.SavedOnce();
        response.Id.ShouldBe(added.Id.Value);
        response.OrgId.ShouldBe(_scenario.OrganizationId.Value);
        response.Name.ShouldBe("Ada");
        response.Email.ShouldBe("ada@example.com");
        response.Role.ShouldBe(OperatorRole.Admin);
        response.Active.ShouldBeFalse();
        response.CreatedAt.ShouldBe(_scenario.Now);
        response.UpdatedAt.ShouldBe(_scenario.Now);
    }

    [Test]
    public async Task A_new_operator_is_an_active_agent_unless_told_otherwise()
    {
        var response = await Handler().Handle(new CreateOperatorCommand("Ada", "ada@example.com", null, null), CancellationToken.None);

        response.Role.ShouldBe(OperatorRole.Agent);
        response.Active.ShouldBeTrue();
    }

    [Test]
    public async Task The_email_is_checked_for_uniqueness_lower_cased_in_the_callers_organization_only()
    {
        await Handler().Handle(new CreateOperatorCommand("Ada", " ADA@example.com ", null, null), CancellationToken.None);

        _scenario.Operators.Verify(o => o.EmailExistsAsync(_scenario.OrganizationId, "ada@example.com", It.IsAny<CancellationToken>()), Times.Once);
        _scenario.Operators.Verify(o => o.EmailExistsAsync(It.Is<OrganizationId>(org => org != _scenario.OrganizationId),
            It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_email_taken_in_the_organization_is_a_conflict_and_nothing_is_added()
    {
        _scenario.Operators.Setup(o => o.EmailExistsAsync(_scenario.OrganizationId, "ada@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var exception = await Should.ThrowAsync<ConflictException>(async () =>
            await Handler().Handle(new CreateOperatorCommand("Ada", "Ada@example.com", null, null), CancellationToken.None));

        exception.Code.ShouldBe("operator_email_taken");
        _scenario.Operators.Verify(o => o.Add(It.IsAny<Operator>()), Times.Never);
        _scenario.NeverSaved();
    }

    [Test]
    public async Task An_email_taken_only_in_another_organization_is_free_here()
    {
        _scenario.Operators.Setup(o => o.EmailExistsAsync(_scenario.OtherOrganizationId, "ada@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var response = await Handler().Handle(new CreateOperatorCommand("Ada", "ada@example.com", null, null), CancellationToken.None);

        response.Email.ShouldBe("ada@example.com");
        _scenario.SavedOnce();
    }

    [Test]
    public async Task Losing_a_race_for_the_same_email_is_the_same_conflict()
    {
        _scenario.UnitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new UniqueConstraintViolationException(new InvalidOperationException("duplicate key")));

        var exception = await Should.ThrowAsync<ConflictException>(async () =>
            await Handler().Handle(new CreateOperatorCommand("Ada", "ada@example.com", null, null), CancellationToken.None));

        exception.Code.ShouldBe("operator_email_taken");
        exception.Message.ShouldNotContain("duplicate key");
    }

    [Test]
    public void The_request_body_becomes_the_command()
    {
        new CreateOperatorRequest { Name = "Ada", Email = "ada@example.com", Role = OperatorRole.Admin, Active = false }.ToCommand()
            .ShouldBe(new CreateOperatorCommand("Ada", "ada@example.com", OperatorRole.Admin, false));
    }
}
