using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.GetConversation;

public sealed record GetConversationQuery(ConversationId ConversationId) : IQuery<ConversationResult>;

public sealed class GetConversationQueryHandler(ICurrentCaller caller, IConversationQueries queries, TimeProvider clock)
    : IQueryHandler<GetConversationQuery, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(GetConversationQuery query, CancellationToken cancellationToken)
    {
        var result = await queries.GetAsync(caller.OrganizationId, query.ConversationId, cancellationToken)
            ?? throw new ConversationNotFoundException();
        return result with { Conversation = result.Conversation.AsSeenAt(clock.GetUtcNow()) };
    }
}
