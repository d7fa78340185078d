using Convor.Application.Common.Serialization;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using Convor.Application.Common.Validation;
using FluentValidation;
using Mediator;

namespace Convor.Application.Operators.UpdateOperator;

/// <summary>Body of <c>PATCH /api/operators/{id}</c>: each field given (and not null) is set; the others stay.</summary>
public sealed record UpdateOperatorRequest : RequestBody
{
    public string? Name { get; init; }

    public OperatorRole? Role { get; init; }

    /// <summary>False: the operator can no longer be assigned; conversations already assigned keep it.</summary>
    public bool? Active { get; init; }

    /// <summary><c>online</c> operators are given conversations by routing; <c>away</c> and <c>offline</c> ones are not.</summary>
    public OperatorAvailability? Availability { get; init; }

    /// <summary>1-100: the most open conversations routing gives the operator (a person's own assignment may go above).</summary>
    public int? MaxConversations { get; init; }

    public UpdateOperatorCommand ToCommand(OperatorId operatorId) => new(operatorId, Name, Role, Active, Availability, MaxConversations);
}

public sealed record UpdateOperatorCommand(
    OperatorId OperatorId, string? Name, OperatorRole? Role, bool? Active,
    OperatorAvailability? Availability = null, int? MaxConversations = null)
    : ICommand<OperatorResponse>;

public sealed class UpdateOperatorCommandValidator : AbstractValidator<UpdateOperatorCommand>
{
    public UpdateOperatorCommandValidator()
    {
        RuleFor(c => c.Name)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("must not be blank")
            .Must(n => n!.Trim().Length <= Operator.NameMaxLength).WithMessage($"must be at most {Operator.NameMaxLength} characters")
            .NoControlCharacters()
            .When(c => c.Name is not null);
        RuleFor(c => c.Role).IsInEnum().WithMessage(WireEnums.MustBeOneOf<OperatorRole>());
        RuleFor(c => c.Availability).IsInEnum().WithMessage(WireEnums.MustBeOneOf<OperatorAvailability>());
        RuleFor(c => c.MaxConversations).InclusiveBetween(Operator.MinMaxConversations, Operator.MaxMaxConversations)
            .WithMessage($"must be between {Operator.MinMaxConversations} and {Operator.MaxMaxConversations}");
    }
}

public sealed class UpdateOperatorCommandHandler(
    ICurrentCaller caller,
    IOperatorRepository operators,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<UpdateOperatorCommand, OperatorResponse>
{
    public async ValueTask<OperatorResponse> Handle(UpdateOperatorCommand command, CancellationToken cancellationToken)
    {
        var @operator = await operators.FindAsync(caller.OrganizationId, command.OperatorId, cancellationToken)
            ?? throw new OperatorNotFoundException();

        // A change that changes nothing writes nothing and keeps updatedAt.
        if (@operator.Update(command.Name, command.Role, command.Active, clock.GetUtcNow(), command.Availability, command.MaxConversations))
            await unitOfWork.SaveChangesAsync(cancellationToken);
        var open = await operators.CountOpenConversationsAsync(caller.OrganizationId, command.OperatorId, cancellationToken);
        return new OperatorWithLoad { Operator = @operator, OpenConversations = open }.ToResponse();
    }
}
