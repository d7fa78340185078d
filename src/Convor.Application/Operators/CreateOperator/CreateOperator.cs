using Convor.Application.Common.Serialization;
using Convor.Domain.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Common.Validation;
using Convor.Domain.Operators;
using FluentValidation;
using Mediator;

namespace Convor.Application.Operators.CreateOperator;

/// <summary>Body of <c>POST /api/operators</c>.</summary>
public sealed record CreateOperatorRequest : RequestBody
{
    public string? Name { get; init; }

    /// <summary>Unique within the organization (case-insensitive).</summary>
    public string? Email { get; init; }

    /// <summary>Defaults to <c>agent</c>.</summary>
    public OperatorRole? Role { get; init; }

    /// <summary>Defaults to true.</summary>
    public bool? Active { get; init; }

    public CreateOperatorCommand ToCommand() => new(Name, Email, Role, Active);
}

public sealed record CreateOperatorCommand(string? Name, string? Email, OperatorRole? Role, bool? Active) : ICommand<OperatorResponse>;

public sealed class CreateOperatorCommandValidator : AbstractValidator<CreateOperatorCommand>
{
    public CreateOperatorCommandValidator()
    {
        // Stop at the first failure: a missing value has nothing else to check. (A trailing
        // When(...) would also switch off NotNull, letting a missing name through to a 500.)
        RuleFor(c => c.Name).Cascade(CascadeMode.Stop).NotNull().WithMessage("is required")
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("must not be blank")
            .MaximumLength(Operator.NameMaxLength).WithMessage($"must be at most {Operator.NameMaxLength} characters")
            .NoControlCharacters();
        RuleFor(c => c.Email).Cascade(CascadeMode.Stop).NotNull().WithMessage("is required")
            .MaximumLength(Operator.EmailMaxLength).WithMessage($"must be at most {Operator.EmailMaxLength} characters")
            .NoControlCharacters()
            .EmailAddress().WithMessage("must be an email address");
        RuleFor(c => c.Role).IsInEnum().WithMessage(WireEnums.MustBeOneOf<OperatorRole>());
    }
}

public sealed class CreateOperatorCommandHandler(
    ICurrentCaller caller,
    IOperatorRepository operators,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<CreateOperatorCommand, OperatorResponse>
{
    public async ValueTask<OperatorResponse> Handle(CreateOperatorCommand command, CancellationToken cancellationToken)
    {
        var email = Operator.NormalizeEmail(command.Email!);
        if (await operators.EmailExistsAsync(caller.OrganizationId, email, cancellationToken))
            throw OperatorEmailTaken();

        var @operator = Operator.Create(caller.OrganizationId, command.Name!, email,
            command.Role ?? OperatorRole.Agent, command.Active ?? true, clock.GetUtcNow());
        operators.Add(@operator);
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (UniqueConstraintViolationException)
        {
            // Lost a race with a concurrent create of the same email.
            throw OperatorEmailTaken();
        }
        return new OperatorWithLoad { Operator = @operator, OpenConversations = 0 }.ToResponse();
    }

    internal static ConflictException OperatorEmailTaken() =>
        new(ErrorCodes.OperatorEmailTaken, "An operator with this email already exists in the organization.");
}
