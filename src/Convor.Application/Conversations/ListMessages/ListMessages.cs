using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.ListMessages;

/// <summary><c>GET /api/conversations/{id}/messages</c>: oldest first, paged like every list.</summary>
public sealed record ListMessagesQuery(ConversationId ConversationId, int? Limit = null, string? Cursor = null)
    : IQuery<MessagePage>, IConversationVersionListQuery;

public sealed class ListMessagesQueryValidator()
    : ConversationVersionListValidator<ListMessagesQuery>(ConversationVersionList.Messages);

public sealed class ListMessagesQueryHandler(ICurrentCaller caller, IConversationQueries queries)
    : IQueryHandler<ListMessagesQuery, MessagePage>
{
    public async ValueTask<MessagePage> Handle(ListMessagesQuery query, CancellationToken cancellationToken)
    {
        var (rows, nextCursor) = await ConversationVersionList.Messages.ReadPageAsync(query,
            (afterVersion, take) => queries.ListMessagesAsync(caller.OrganizationId, query.ConversationId, afterVersion, take, cancellationToken),
            row => row.Version,
            () => queries.ExistsAsync(caller.OrganizationId, query.ConversationId, cancellationToken));
        return new MessagePage { Data = rows.Select(r => r.Message).ToList(), NextCursor = nextCursor };
    }
}
