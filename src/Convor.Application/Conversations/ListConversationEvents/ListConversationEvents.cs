using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Conversations.ListConversationEvents;

/// <summary><c>GET /api/conversations/{id}/events</c>: the activity log, oldest first, paged like every list.</summary>
public sealed record ListConversationEventsQuery(ConversationId ConversationId, int? Limit = null, string? Cursor = null)
    : IQuery<ConversationEventPage>, IConversationVersionListQuery;

public sealed class ListConversationEventsQueryValidator()
    : ConversationVersionListValidator<ListConversationEventsQuery>(ConversationVersionList.Events);

public sealed class ListConversationEventsQueryHandler(ICurrentCaller caller, IConversationQueries queries)
    : IQueryHandler<ListConversationEventsQuery, ConversationEventPage>
{
    public async ValueTask<ConversationEventPage> Handle(ListConversationEventsQuery query, CancellationToken cancellationToken)
    {
        var (rows, nextCursor) = await ConversationVersionList.Events.ReadPageAsync(query,
            (afterVersion, take) => queries.ListEventsAsync(caller.OrganizationId, query.ConversationId, afterVersion, take, cancellationToken),
            row => row.Version,
            () => queries.ExistsAsync(caller.OrganizationId, query.ConversationId, cancellationToken));
        return new ConversationEventPage { Data = rows.Select(r => r.Event).ToList(), NextCursor = nextCursor };
    }
}
