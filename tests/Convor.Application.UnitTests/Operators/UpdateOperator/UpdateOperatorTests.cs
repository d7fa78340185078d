using Convor.Application.Common.Exceptions;
using Convor.Application.Operators.UpdateOperator;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Convor.Application.UnitTests.Support;

namespace Convor.Application.UnitTests.Operators.UpdateOperator;

public sealed class UpdateOperatorTests
{
    private HandlerScenario _scenario = null!;

    [SetUp]
    public void CreateScenario() => _scenario = new();

    private UpdateOperatorCommandHandler Handler() =>
        new(_scenario.Caller.Object, _scenario.Operators.Object, _scenario.UnitOfWork.Object, _scenario.Clock);

    [Test]
    public async Task Applies_the_given_fields_and_saves()
    {
        var op = _scenario.StoredOperator();
        _scenario.Clock.Advance(TimeSpan.FromMinutes(3));

        var response = await Handler().Handle(new UpdateOperatorCommand(op.Id, "Ada L.", OperatorRole.Admin, false), CancellationToken.None);

        response.Name.ShouldBe("Ada L.");
        response.Role.ShouldBe(OperatorRole.Admin);
        response.Active.ShouldBeFalse();
        response.UpdatedAt.ShouldBe(_scenario.Now);
        _scenario.SavedOnce();
    }

    [Test]
    public async Task The_current_values_write_nothing()
    {
        var op = _scenario.StoredOperator();

        var response = await Handler().Handle(new UpdateOperatorCommand(op.Id, op.Name, op.Role, op.Active), CancellationToken.None);

        response.UpdatedAt.ShouldBe(op.CreatedAt);
        _scenario.NeverSaved();
    }

    [Test]
    public async Task An_operator_not_in_the_organization_is_operator_not_found()
    {
        var exception = await Should.ThrowAsync<OperatorNotFoundException>(
            Handler().Handle(new UpdateOperatorCommand(OperatorId.New(), "x", null, null), CancellationToken.None).AsTask());

        exception.Code.ShouldBe("operator_not_found");
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task A_blank_name_is_refused(string name)
    {
        var errors = await WireValidation.ErrorsOf(new UpdateOperatorCommandValidator(), new UpdateOperatorCommand(OperatorId.New(), name, null, null));

        errors["name"].ShouldBe(["must not be blank"]);
    }

    [Test]
    public async Task A_long_name_and_an_unknown_role_are_refused()
    {
        var errors = await WireValidation.ErrorsOf(new UpdateOperatorCommandValidator(),
            new UpdateOperatorCommand(OperatorId.New(), new string('n', Operator.NameMaxLength + 1), (OperatorRole)9, null));

        errors["name"].ShouldBe([$"must be at most {Operator.NameMaxLength} characters"]);
        errors["role"].ShouldBe(["must be one of: agent, admin"]);
    }

    [Test]
    public async Task An_empty_patch_is_valid()
    {
        (await WireValidation.ErrorsOf(new UpdateOperatorCommandValidator(), new UpdateOperatorCommand(OperatorId.New(), null, null, null)))
            .ShouldBeEmpty();
    }
}
