using Convor.Application.Operators.CreateOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Operators;

namespace Convor.Application.UnitTests.Operators.CreateOperator;

public sealed class CreateOperatorValidatorTests
{
    private readonly CreateOperatorCommandValidator _validator = new();

    private Task<IReadOnlyDictionary<string, string[]>> ErrorsOf(CreateOperatorCommand command) => WireValidation.ErrorsOf(_validator, command);

    [Test]
    public async Task Name_and_email_are_enough()
    {
        (await ErrorsOf(new CreateOperatorCommand("Ada", "ada@example.com", null, null))).ShouldBeEmpty();
    }

    [Test]
    public async Task Every_field_given_and_valid_passes()
    {
        (await ErrorsOf(new CreateOperatorCommand("Ada", "ada@example.com", OperatorRole.Admin, false))).ShouldBeEmpty();
    }

    [Test]
    public async Task A_missing_name_is_required()
    {
        var errors = await ErrorsOf(new CreateOperatorCommand(null, "ada@example.com", null, null));

        errors.Keys.ShouldBe(["name"]);
        errors["name"].ShouldBe(["is required"]);
    }

    [Test]
    public async Task A_missing_email_is_required()
    {
        var errors = await ErrorsOf(new CreateOperatorCommand("Ada", null, null, null));

        errors.Keys.ShouldBe(["email"]);
        errors["email"].ShouldBe(["is required"]);
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task A_blank_name_is_rejected(string blank)
    {
        var errors = await ErrorsOf(new CreateOperatorCommand(blank, "ada@example.com", null, null));

        errors["name"].ShouldBe(["must not be blank"]);
    }

    [Test]
    public async Task A_name_longer_than_200_characters_is_rejected_and_200_is_accepted()
    {
        (await ErrorsOf(new CreateOperatorCommand(new string('a', 200), "ada@example.com", null, null))).ShouldBeEmpty();
        (await ErrorsOf(new CreateOperatorCommand(new string('a', 201), "ada@example.com", null, null)))["name"]
            .ShouldBe(["must be at most 200 characters"]);
    }

    [TestCase("not-an-email")]
    [TestCase("")]
    public async Task Something_that_is_not_an_email_address_is_rejected(string email)
    {
        var errors = await ErrorsOf(new CreateOperatorCommand("Ada", email, null, null));

        errors["email"].ShouldBe(["must be an email address"]);
    }

    [Test]
    public async Task An_email_longer_than_320_characters_is_rejected()
    {
        var email = new string('a', 310) + "@example.com";

        (await ErrorsOf(new CreateOperatorCommand("Ada", email, null, null)))["email"].ShouldContain("must be at most 320 characters");
    }

    [Test]
    public async Task A_role_outside_the_enum_names_the_allowed_values()
    {
        var errors = await ErrorsOf(new CreateOperatorCommand("Ada", "ada@example.com", (OperatorRole)7, null));

        errors["role"].ShouldBe(["must be one of: agent, admin"]);
    }

    [Test]
    public async Task All_failures_are_reported_at_once()
    {
        var errors = await ErrorsOf(new CreateOperatorCommand(null, null, (OperatorRole)7, null));

        errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["email", "name", "role"]);
    }
}
