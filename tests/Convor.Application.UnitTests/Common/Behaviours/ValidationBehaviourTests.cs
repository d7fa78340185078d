using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Exceptions;
using FluentValidation;
using Mediator;

namespace Convor.Application.UnitTests.Common.Behaviours;

public sealed class ValidationBehaviourTests
{
    public sealed record SignUpCommand(string? DisplayName, string? Email, int Age) : ICommand<string>;

    private int _handlerCalls;

    private ValueTask<string> Handler(SignUpCommand message, CancellationToken cancellationToken)
    {
        _handlerCalls++;
        return ValueTask.FromResult("handled");
    }

    private static InlineValidator<SignUpCommand> NamesValidator()
    {
        var validator = new InlineValidator<SignUpCommand>();
        validator.RuleFor(c => c.DisplayName).NotNull().WithMessage("is required");
        validator.RuleFor(c => c.Email).NotNull().WithMessage("is required");
        return validator;
    }

    private static InlineValidator<SignUpCommand> AgeValidator()
    {
        var validator = new InlineValidator<SignUpCommand>();
        validator.RuleFor(c => c.Age).GreaterThan(0).WithMessage("must be positive").LessThan(150).WithMessage("must be below 150");
        return validator;
    }

    [Test]
    public async Task A_valid_message_reaches_the_handler_once_and_its_answer_comes_back()
    {
        var behaviour = new ValidationBehaviour<SignUpCommand, string>([NamesValidator(), AgeValidator()]);

        var response = await behaviour.Handle(new SignUpCommand("Ada", "ada@example.com", 36), Handler, CancellationToken.None);

        response.ShouldBe("handled");
        _handlerCalls.ShouldBe(1);
    }

    [Test]
    public async Task A_message_without_validators_reaches_the_handler()
    {
        var behaviour = new ValidationBehaviour<SignUpCommand, string>([]);

        await behaviour.Handle(new SignUpCommand(null, null, -1), Handler, CancellationToken.None);

        _handlerCalls.ShouldBe(1);
    }

    [Test]
    public async Task Every_failure_of_every_validator_is_reported_at_once_and_the_handler_is_not_called()
    {
        var behaviour = new ValidationBehaviour<SignUpCommand, string>([NamesValidator(), AgeValidator()]);

        var exception = await Should.ThrowAsync<RequestValidationException>(async () =>
            await behaviour.Handle(new SignUpCommand(null, null, -1), Handler, CancellationToken.None));

        exception.Code.ShouldBe("validation_error");
        exception.Errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["age", "displayName", "email"]);
        exception.Errors["displayName"].ShouldBe(["is required"]);
        exception.Errors["email"].ShouldBe(["is required"]);
        exception.Errors["age"].ShouldBe(["must be positive"]);
        _handlerCalls.ShouldBe(0);
    }

    [Test]
    public async Task Several_failures_of_one_field_are_listed_under_it_once_each()
    {
        var tooOld = new InlineValidator<SignUpCommand>();
        tooOld.RuleFor(c => c.Age).LessThan(150).WithMessage("must be below 150").LessThan(120).WithMessage("must be below 120");
        var behaviour = new ValidationBehaviour<SignUpCommand, string>([tooOld, AgeValidator()]);

        var exception = await Should.ThrowAsync<RequestValidationException>(async () =>
            await behaviour.Handle(new SignUpCommand("Ada", "a@b.c", 200), Handler, CancellationToken.None));

        exception.Errors["age"].ShouldBe(["must be below 150", "must be below 120"]);
    }

    [Test]
    public async Task Nested_property_paths_become_camel_case_segment_by_segment()
    {
        var nested = new InlineValidator<SignUpCommand>();
        nested.RuleFor(c => c.DisplayName).Custom((_, context) => context.AddFailure("Metadata.Tags[0].Label", "is too long"));
        var behaviour = new ValidationBehaviour<SignUpCommand, string>([nested]);

        var exception = await Should.ThrowAsync<RequestValidationException>(async () =>
            await behaviour.Handle(new SignUpCommand("Ada", "a@b.c", 1), Handler, CancellationToken.None));

        exception.Errors.Keys.ShouldBe(["metadata.tags[0].label"]);
    }

    [TestCase("OperatorId", "operatorId")]
    [TestCase("operatorId", "operatorId")]
    [TestCase("Metadata.Tags[0]", "metadata.tags[0]")]
    [TestCase("", "")]
    public void Wire_names_lower_the_first_letter_of_each_segment(string propertyName, string wireName)
    {
        ValidationBehaviour<SignUpCommand, string>.WireName(propertyName).ShouldBe(wireName);
    }
}
