using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;

namespace Convor.Application.Conversations;

/// <summary>The first step every conversation command shares.</summary>
public static class ConversationCommandLoading
{
    /// <summary>
    /// Loads the conversation by (caller's organization, id), so another organization's id is
    /// <c>conversation_not_found</c> like an unknown one, and checks the caller's expected version against
    /// its version before anything changes.
    /// </summary>
    public static async Task<Conversation> LoadForCommandAsync(
        this IConversationRepository conversations,
        ICurrentCaller caller,
        ConversationId id,
        ExpectedVersion? expectedVersion,
        CancellationToken cancellationToken)
    {
        var conversation = await conversations.FindAsync(caller.OrganizationId, id, cancellationToken);
        return Checked(conversation, expectedVersion);
    }

    /// <summary>
    /// The same, together with the operator the command names (one read): the conversation's
    /// answers come first, then <c>invalid_operator</c> when the organization has no such operator.
    /// </summary>
    public static async Task<(Conversation Conversation, Operator Operator)> LoadForCommandAsync(
        this IConversationRepository conversations,
        ICurrentCaller caller,
        ConversationId id,
        OperatorId operatorId,
        ExpectedVersion? expectedVersion,
        CancellationToken cancellationToken)
    {
        var (conversation, @operator) = await conversations.FindWithOperatorAsync(caller.OrganizationId, id, operatorId, cancellationToken);
        return (Checked(conversation, expectedVersion), @operator ?? throw new InvalidOperatorException());
    }

    private static Conversation Checked(Conversation? conversation, ExpectedVersion? expectedVersion)
    {
        if (conversation is null) throw new ConversationNotFoundException();
        ExpectedVersion.EnsureMatches(expectedVersion, conversation.Version);
        return conversation;
    }
}
