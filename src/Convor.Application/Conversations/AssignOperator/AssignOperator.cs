using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.AssignOperator;

/// <summary>Body of <c>POST /api/conversations/{id}/assign</c>.</summary>
public sealed record AssignOperatorRequest : RequestBody
{
    /// <summary>An operator of the current organization.</summary>
    public Guid? OperatorId { get; init; }

    public AssignOperatorCommand ToCommand(ConversationId conversationId, ExpectedVersion? expectedVersion) =>
        new(conversationId, OperatorId is { } id ? new OperatorId(id) : null, expectedVersion);
}

public sealed record AssignOperatorCommand(ConversationId ConversationId, OperatorId? OperatorId, ExpectedVersion? ExpectedVersion = null)
    : ICommand<ConversationResult>;

public sealed class AssignOperatorCommandValidator : AbstractValidator<AssignOperatorCommand>
{
    public AssignOperatorCommandValidator()
    {
        RuleFor(c => c.OperatorId).NotNull().WithMessage("is required");
        RuleFor(c => c.OperatorId!.Value.Value).NotEqual(Guid.Empty).WithMessage("must be a UUID")
            .OverridePropertyName(nameof(AssignOperatorCommand.OperatorId)).When(c => c.OperatorId is not null);
    }
}

public sealed class AssignOperatorCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<AssignOperatorCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(AssignOperatorCommand command, CancellationToken cancellationToken)
    {
        var (conversation, @operator) = await conversations.LoadForCommandAsync(
            caller, command.ConversationId, command.OperatorId!.Value, command.ExpectedVersion, cancellationToken);

        conversation.AssignOperator(@operator, clock.GetUtcNow());
        // Always save: a no-op writes nothing, but an expired snooze woken on the way must persist.
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
