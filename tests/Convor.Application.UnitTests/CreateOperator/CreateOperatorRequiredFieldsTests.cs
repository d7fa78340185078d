using Convor.Application.Operators.CreateOperator;
using Convor.Application.UnitTests.Common;

namespace Convor.Application.UnitTests.CreateOperator;

public sealed class CreateOperatorRequiredFieldsTests
{
    [Test]
    public async Task Missing_name_and_email_are_both_required()
    {
        var errors = await LifecycleHandlerScenario.ValidateAsync(new CreateOperatorCommandValidator(), new CreateOperatorCommand(null, null, null, null));

        errors.ShouldNotBeNull();
        errors["name"].ShouldBe(["is required"]);
        errors["email"].ShouldBe(["is required"]);
    }

    [Test]
    public async Task A_blank_name_and_a_malformed_email_are_reported()
    {
        var errors = await LifecycleHandlerScenario.ValidateAsync(new CreateOperatorCommandValidator(), new CreateOperatorCommand("  ", "not-an-email", null, null));

        errors.ShouldNotBeNull();
        errors["name"].ShouldBe(["must not be blank"]);
        errors["email"].ShouldBe(["must be an email address"]);
    }

    [Test]
    public async Task A_complete_operator_is_valid()
    {
        (await LifecycleHandlerScenario.ValidateAsync(new CreateOperatorCommandValidator(), new CreateOperatorCommand("Ada", "ada@example.test", null, null)))
            .ShouldBeNull();
    }
}
