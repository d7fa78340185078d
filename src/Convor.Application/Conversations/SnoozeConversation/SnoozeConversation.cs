using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.SnoozeConversation;

/// <summary>Body of <c>POST /api/conversations/{id}/snooze</c>.</summary>
public sealed record SnoozeConversationRequest : RequestBody
{
    /// <summary>When the snooze ends: an RFC 3339 timestamp with an offset, in the future.</summary>
    public DateTimeOffset? Until { get; init; }

    public SnoozeConversationCommand ToCommand(ConversationId conversationId, ExpectedVersion? expectedVersion) => new(conversationId, Until, expectedVersion);
}

public sealed record SnoozeConversationCommand(ConversationId ConversationId, DateTimeOffset? Until, ExpectedVersion? ExpectedVersion = null)
    : ICommand<ConversationResult>;

/// <summary>
/// Shape only; the aggregate checks "in the future" again against the instant it applies the
/// command, so a request that was valid a moment ago cannot snooze into the past.
/// </summary>
public sealed class SnoozeConversationCommandValidator : AbstractValidator<SnoozeConversationCommand>
{
    public SnoozeConversationCommandValidator(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        RuleFor(c => c.Until).NotNull().WithMessage("is required");
        RuleFor(c => c.Until).Must(until => until > clock.GetUtcNow()).WithMessage("must be in the future").When(c => c.Until is not null);
    }
}

public sealed class SnoozeConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<SnoozeConversationCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(SnoozeConversationCommand command, CancellationToken cancellationToken)
    {
        var conversation = await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken);

        conversation.Snooze(command.Until!.Value, clock.GetUtcNow());
        // Always save: a no-op writes nothing, but an expired snooze woken on the way must persist.
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
