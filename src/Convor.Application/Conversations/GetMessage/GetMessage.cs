using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.GetMessage;

/// <summary><c>GET /api/conversations/{id}/messages/{messageId}</c>: where a new message's <c>Location</c> points.</summary>
public sealed record GetMessageQuery(ConversationId ConversationId, MessageId MessageId) : IQuery<MessageResponse>;

public sealed class GetMessageQueryHandler(ICurrentCaller caller, IConversationQueries queries)
    : IQueryHandler<GetMessageQuery, MessageResponse>
{
    public async ValueTask<MessageResponse> Handle(GetMessageQuery query, CancellationToken cancellationToken) =>
        await queries.GetMessageAsync(caller.OrganizationId, query.ConversationId, query.MessageId, cancellationToken)
        ?? (await queries.ExistsAsync(caller.OrganizationId, query.ConversationId, cancellationToken)
            ? throw new MessageNotFoundException()
            : throw new ConversationNotFoundException());
}
