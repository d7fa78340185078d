using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Mediator;

namespace Convor.Application.Conversations.CloseConversation;

/// <summary>Optional body of <c>POST /api/conversations/{id}/close</c>.</summary>
public sealed record CloseConversationRequest : RequestBody
{
    /// <summary>Who resolved it; when absent: operator if assigned, else ai if the AI was answering, else system.</summary>
    public ResolvedBy? ResolvedBy { get; init; }

    public CloseConversationCommand ToCommand(ConversationId conversationId, ExpectedVersion? expectedVersion) => new(conversationId, ResolvedBy, expectedVersion);
}

public sealed record CloseConversationCommand(ConversationId ConversationId, ResolvedBy? ResolvedBy, ExpectedVersion? ExpectedVersion = null)
    : ICommand<ConversationResult>;

public sealed class CloseConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<CloseConversationCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(CloseConversationCommand command, CancellationToken cancellationToken)
    {
        var conversation = await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken);

        conversation.Close(command.ResolvedBy, clock.GetUtcNow());
        // Always save: a no-op writes nothing, but an expired snooze woken on the way must persist.
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
