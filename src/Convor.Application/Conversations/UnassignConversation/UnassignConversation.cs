using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.UnassignConversation;

/// <summary>No body: the conversation id comes from the path.</summary>
public sealed record UnassignConversationCommand(ConversationId ConversationId, ExpectedVersion? ExpectedVersion = null)
    : ICommand<ConversationResult>;

public sealed class UnassignConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<UnassignConversationCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(UnassignConversationCommand command, CancellationToken cancellationToken)
    {
        var conversation = await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken);

        conversation.Unassign(clock.GetUtcNow());
        // Always save: a no-op writes nothing, but an expired snooze woken on the way must persist.
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
