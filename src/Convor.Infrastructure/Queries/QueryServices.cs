using System.Linq.Expressions;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Queries;

/// <summary>
/// Puts <see cref="WireMapper"/>'s projection of a conversation where a query written for
/// compilation has a placeholder <c>Select</c> to <see cref="ConversationResult"/> (a compiled
/// query's body must be one expression, and the mapper's projection is an extension method
/// EF cannot look into).
/// </summary>
internal static class WireProjection
{
    private static readonly Expression ToResult =
        ((MethodCallExpression)Enumerable.Empty<Conversation>().AsQueryable().ProjectToResult().Expression).Arguments[1];

    public static Expression<TDelegate> Into<TDelegate>(Expression<TDelegate> query) => (Expression<TDelegate>)new Placeholder().Visit(query);

    private sealed class Placeholder : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.Name == nameof(Queryable.Select) && node.Method.DeclaringType == typeof(Queryable) && node.Type == typeof(IQueryable<ConversationResult>)
                ? Expression.Call(node.Method, Visit(node.Arguments[0]), ToResult)
                : base.VisitMethodCall(node);
    }
}

/// <summary>Reads project in the database straight to wire models: no aggregate, no tracking.</summary>
internal sealed class ConversationQueries(ConvorDbContext db, ConversationSearch search) : IConversationQueries
{
    // GET by id, compiled (CompiledPerModel) with the mapper's own projection put in place of the
    // placeholder Select, so the wire model is still built by the one mapper.
    private static readonly CompiledPerModel<Func<ConvorDbContext, OrganizationId, ConversationId, CancellationToken, Task<ConversationResult?>>> ById = new(() =>
        EF.CompileAsyncQuery(WireProjection.Into<Func<ConvorDbContext, OrganizationId, ConversationId, CancellationToken, ConversationResult?>>((db, organizationId, id, _) =>
            db.Conversations.AsNoTracking()
                .Where(c => c.OrganizationId == organizationId && c.Id == id)
                .Select(c => (ConversationResult)null!)
                .FirstOrDefault())));

    public Task<ConversationResult?> GetAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken) =>
        ById.For(db)(db, organizationId, id, cancellationToken);

    /// <summary>
    /// The list order is <c>lastMessageAt</c> descending with nulls last, then <c>createdAt</c>
    /// and <c>id</c> descending. Databases disagree on where NULL sorts (PostgreSQL puts it
    /// first in a descending order, SQLite and SQL Server last), so the list is read as two
    /// segments with the same LINQ everywhere: the conversations that have a last message, then
    /// those that have none. Each segment is one ordered range of an (organization, [filter,]
    /// lastMessageAt, createdAt, id) index read backwards, stopped after <paramref name="take"/>
    /// rows; the second is read only when the first ran out.
    /// </summary>
    public Task<IReadOnlyList<ConversationResponse>> ListAsync(
        OrganizationId organizationId, ConversationListFilter filter, ConversationListPosition? after, int take,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        search.ReadAsync<IReadOnlyList<ConversationResponse>>(db, filter.SearchTokens, async token =>
        {
            var page = new List<ConversationResponse>(take);
            var from = after;
            if (from is null || from.LastMessageAt is not null)
            {
                page.AddRange(await WithMessages(organizationId, filter, from, now)
                    .Take(take).ProjectToResponse().ToListAsync(token));
                if (page.Count == take) return page;
                from = null; // the second segment is read from its start
            }
            page.AddRange(await WithoutMessages(organizationId, filter, from, now)
                .Take(take - page.Count).ProjectToResponse().ToListAsync(token));
            return page;
        }, cancellationToken);

    /// <summary>First segment: conversations with a last message, in list order, after <paramref name="after"/> (which has one).</summary>
    internal IQueryable<Conversation> WithMessages(OrganizationId organizationId, ConversationListFilter filter, ConversationListPosition? after, DateTimeOffset now)
    {
        var query = Filtered(organizationId, filter, now);
        if (after?.LastMessageAt is { } lastMessageAt)
        {
            var (createdAt, id) = (after.CreatedAt, after.Id);
            // The leading `<=` bounds the index range (and excludes NULL: an explicit IS NOT NULL
            // beside it makes SQLite's planner leave the filter's own index); the rest skips the
            // rows up to and including the cursor's.
            query = query.Where(c => c.LastMessageAt <= lastMessageAt
                && (c.LastMessageAt < lastMessageAt
                    || (c.LastMessageAt == lastMessageAt && (c.CreatedAt < createdAt || (c.CreatedAt == createdAt && c.Id < id)))));
        }
        else
        {
            query = query.Where(c => c.LastMessageAt != null);
        }
        return query.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id);
    }

    /// <summary>Second segment: conversations without a last message, in list order, after <paramref name="after"/> (which has none).</summary>
    internal IQueryable<Conversation> WithoutMessages(OrganizationId organizationId, ConversationListFilter filter, ConversationListPosition? after, DateTimeOffset now)
    {
        var query = Filtered(organizationId, filter, now).Where(c => c.LastMessageAt == null);
        if (after is not null)
        {
            var (createdAt, id) = (after.CreatedAt, after.Id);
            query = query.Where(c => c.CreatedAt <= createdAt && (c.CreatedAt < createdAt || (c.CreatedAt == createdAt && c.Id < id)));
        }
        return query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id);
    }

    private IQueryable<Conversation> Filtered(OrganizationId organizationId, ConversationListFilter filter, DateTimeOffset now)
    {
        // q (every word the start of a word of searchVector) is where the query starts: through
        // the provider's word index where it has one (ConversationSearch, docs/adr/0702).
        var query = search.Conversations(db, filter.SearchTokens).AsNoTracking().Where(c => c.OrganizationId == organizationId);

        // Status as readers see it (EndedSnooze): a snooze that has ended is open, even before
        // the sweep wrote that. Several statuses: any of them.
        if (filter.Statuses.Count > 0) query = query.Where(EndedSnooze.IsSeenAsAnyOf(filter.Statuses, now));
        query = query.WhereAnyOf(filter.Priorities, c => c.Priority)
            .WhereAnyOf(filter.Channels, c => c.Channel)
            .WhereAnyOf(filter.AssignedOperatorIds.Select(id => (OperatorId?)id).ToList(), c => c.AssignedOperatorId);
        if (filter.UnassignedOnly) query = query.Where(c => c.AssignedOperatorId == null);
        return query;
    }

    /// <summary>
    /// Oldest request first, then id: one forward range of ix_conversations_org_waiting (only
    /// waiting conversations have a <c>WaitingSince</c>), with the other filters applied on it.
    /// </summary>
    public Task<IReadOnlyList<WaitingConversationRow>> ListWaitingAsync(
        OrganizationId organizationId, ConversationListFilter filter, WaitingListPosition? after, int take,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        search.ReadAsync<IReadOnlyList<WaitingConversationRow>>(db, filter.SearchTokens, async token =>
        {
            var query = Filtered(organizationId, filter, now).Where(c => c.WaitingSince != null);
            if (after is not null)
            {
                var (waitingSince, id) = (after.WaitingSince, after.Id);
                query = query.Where(c => c.WaitingSince >= waitingSince && (c.WaitingSince > waitingSince || (c.WaitingSince == waitingSince && c.Id > id)));
            }
            var rows = await query
                .OrderBy(c => c.WaitingSince).ThenBy(c => c.Id)
                .Take(take)
                .Select(c => new { Conversation = c, WaitingSince = c.WaitingSince!.Value })
                .ToListAsync(token);
            return rows.Select(r => new WaitingConversationRow(r.Conversation.ToResponse(), r.WaitingSince)).ToList();
        }, cancellationToken);

    public Task<bool> ExistsAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken) =>
        db.Conversations.AsNoTracking().AnyAsync(c => c.OrganizationId == organizationId && c.Id == id, cancellationToken);

    public async Task<IReadOnlyList<ActivityLogItem>> ListEventsAsync(
        OrganizationId organizationId, ConversationId id, long afterVersion, int take, CancellationToken cancellationToken)
    {
        var entries = await db.ActivityLog.AsNoTracking()
            .Where(e => e.OrganizationId == organizationId && e.ConversationId == id && e.Version > afterVersion)
            .OrderBy(e => e.Version)
            .Take(take)
            .ToListAsync(cancellationToken);
        return entries.Select(e => new ActivityLogItem(e.Version, e.ToResponse())).ToList();
    }

    /// <summary>One forward range of ux_messages_conversation_version.</summary>
    public async Task<IReadOnlyList<MessageItem>> ListMessagesAsync(
        OrganizationId organizationId, ConversationId id, long afterVersion, int take, CancellationToken cancellationToken) =>
        await db.Messages.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && m.ConversationId == id && m.ConversationVersion > afterVersion)
            .OrderBy(m => m.ConversationVersion)
            .Take(take)
            .ProjectToItem()
            .ToListAsync(cancellationToken);

    public Task<MessageResponse?> GetMessageAsync(
        OrganizationId organizationId, ConversationId conversationId, MessageId messageId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && m.ConversationId == conversationId && m.Id == messageId)
            .ProjectToResponse()
            .FirstOrDefaultAsync(cancellationToken);
}

internal static class ListFilters
{
    /// <summary>
    /// Rows whose <paramref name="column"/> is any of <paramref name="values"/>; no values is no
    /// filter. The values are a query parameter (an IN list), never literals in the SQL text.
    /// </summary>
    public static IQueryable<Conversation> WhereAnyOf<T>(this IQueryable<Conversation> query, IReadOnlyList<T> values, Expression<Func<Conversation, T>> column)
    {
        if (values.Count == 0) return query;
        var captured = Expression.Field(Expression.Constant(new Captured<T>([.. values])), nameof(Captured<T>.Values));
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(T)], captured, column.Body);
        return query.Where(Expression.Lambda<Func<Conversation, bool>>(contains, column.Parameters));
    }

    private sealed class Captured<T>(T[] values)
    {
#pragma warning disable CA1051 // a field, like a compiler-made closure, so EF reads it as a parameter
        public readonly T[] Values = values;
#pragma warning restore CA1051
    }
}

internal sealed class OperatorQueries(ConvorDbContext db) : IOperatorQueries
{
    public Task<OperatorResponse?> GetAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken) =>
        WithLoad(db.Operators.AsNoTracking().Where(o => o.OrganizationId == organizationId && o.Id == id))
            .ProjectToResponse()
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Oldest first: one forward range of ix_operators_org_order.</summary>
    public async Task<IReadOnlyList<OperatorResponse>> ListAsync(
        OrganizationId organizationId, OperatorListFilter filter, OperatorListPosition? after, int take, CancellationToken cancellationToken)
    {
        var query = db.Operators.AsNoTracking().Where(o => o.OrganizationId == organizationId);
        if (filter.Availability.Count > 0)
        {
            var availability = filter.Availability;
            query = query.Where(o => availability.Contains(o.Availability));
        }
        if (after is not null)
        {
            var (createdAt, id) = (after.CreatedAt, after.Id);
            query = query.Where(o => o.CreatedAt >= createdAt && (o.CreatedAt > createdAt || (o.CreatedAt == createdAt && o.Id > id)));
        }
        return await WithLoad(query
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
                .Take(take))
            .ProjectToResponse()
            .ToListAsync(cancellationToken);
    }

    /// <summary>Each operator with its open conversations, counted in the same query.</summary>
    private IQueryable<OperatorWithLoad> WithLoad(IQueryable<Operator> operators) =>
        operators.Select(o => new OperatorWithLoad
        {
            Operator = o,
            OpenConversations = db.Conversations.Where(Conversation.InOperatorLoad)
                .Count(c => c.OrganizationId == o.OrganizationId && c.AssignedOperatorId == o.Id),
        });
}
