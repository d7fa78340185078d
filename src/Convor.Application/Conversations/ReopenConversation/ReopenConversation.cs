using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.ReopenConversation;

/// <summary>No body: the conversation id comes from the path.</summary>
public sealed record ReopenConversationCommand(ConversationId ConversationId, ExpectedVersion? ExpectedVersion = null)
    : ICommand<ConversationResult>;

public sealed class ReopenConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<ReopenConversationCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(ReopenConversationCommand command, CancellationToken cancellationToken)
    {
        var conversation = await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken);

        conversation.Reopen(clock.GetUtcNow());
        // Always save: a no-op writes nothing, but an expired snooze woken on the way must persist.
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
