using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.HandoffConversation;

/// <summary><c>POST /api/conversations/{id}/handoff</c>, no body: the AI asks for a human.</summary>
public sealed record HandoffConversationCommand(ConversationId ConversationId, ExpectedVersion? ExpectedVersion = null)
    : ICommand<ConversationResult>;

/// <summary>
/// Routes the conversation at once when an operator has room, or queues it (waiting). The
/// operator's version is the capacity check: when another assignment to the chosen operator
/// commits first, this save fails and routing chooses again on fresh loads. After
/// <see cref="RoutingAttempts"/> lost races the conversation is queued instead, and the queue
/// (woken by that save) routes it: a busy moment never turns a handoff into a 409.
/// </summary>
public sealed class HandoffConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IOperatorRepository operators,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<HandoffConversationCommand, ConversationResult>
{
    public const int RoutingAttempts = 5;

    public async ValueTask<ConversationResult> Handle(HandoffConversationCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var conversation = await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken);
            var candidates = attempt <= RoutingAttempts
                ? await operators.LoadRoutingCandidatesAsync(caller.OrganizationId, cancellationToken)
                : [];
            conversation.RequestHandoff(candidates, clock.GetUtcNow());
            try
            {
                // Always save: a no-op writes nothing, but an expired snooze woken on the way must persist.
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return conversation.ToResult();
            }
            catch (ConcurrencyConflictException) when (attempt <= RoutingAttempts)
            {
                unitOfWork.DiscardChanges();
            }
        }
    }
}
