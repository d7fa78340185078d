using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Routing;
using Convor.Domain.Visitors;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Repositories;

// Each lookup names the organization explicitly; the global query filter is a second lock.

internal sealed class ConversationRepository(ConvorDbContext db) : IConversationRepository
{
    public Task<Conversation?> FindAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken) => db switch
    {
        PostgresConvorDbContext postgres => CommandReads<PostgresConvorDbContext>.ById(postgres, organizationId, id, cancellationToken),
        SqlServerConvorDbContext sqlServer => CommandReads<SqlServerConvorDbContext>.ById(sqlServer, organizationId, id, cancellationToken),
        _ => CommandReads<ConvorDbContext>.ById(db, organizationId, id, cancellationToken),
    };

    public async Task<(Conversation? Conversation, Operator? Operator)> FindWithOperatorAsync(
        OrganizationId organizationId, ConversationId id, OperatorId operatorId, CancellationToken cancellationToken)
    {
        var row = await (db switch
        {
            PostgresConvorDbContext postgres => CommandReads<PostgresConvorDbContext>.WithOperator(postgres, organizationId, id, operatorId, cancellationToken),
            SqlServerConvorDbContext sqlServer => CommandReads<SqlServerConvorDbContext>.WithOperator(sqlServer, organizationId, id, operatorId, cancellationToken),
            _ => CommandReads<ConvorDbContext>.WithOperator(db, organizationId, id, operatorId, cancellationToken),
        });
        return (row?.Conversation, row?.Operator);
    }

    public void Add(Conversation conversation) => db.Conversations.Add(conversation);
}

/// <summary>
/// The two reads every conversation command starts with, compiled once: they skip EF's per-call
/// query building (funcletizing, cache key, parameter extraction), which the CPU profile found
/// among the top costs of a command (docs/performance.md, issue 16). A compiled query keeps the
/// executor of the first model it ran on, so there is one per context type: SQLite (the
/// fallback arm), SQL Server and PostgreSQL each have their own model, and the tests run
/// several in one process.
/// </summary>
internal static class CommandReads<TContext> where TContext : ConvorDbContext
{
    public static readonly Func<TContext, OrganizationId, ConversationId, CancellationToken, Task<Conversation?>> ById =
        EF.CompileAsyncQuery((TContext db, OrganizationId organizationId, ConversationId id, CancellationToken _) =>
            db.Conversations.FirstOrDefault(c => c.OrganizationId == organizationId && c.Id == id));

    // The conversation's row LEFT JOINed to the operator's (uncorrelated, so every provider can
    // translate it; SQLite has no APPLY); EF tracks both entities of the projection.
    public static readonly Func<TContext, OrganizationId, ConversationId, OperatorId, CancellationToken, Task<ConversationWithOperator?>> WithOperator =
        EF.CompileAsyncQuery((TContext db, OrganizationId organizationId, ConversationId id, OperatorId operatorId, CancellationToken _) =>
            (from c in db.Conversations.Where(c => c.OrganizationId == organizationId && c.Id == id)
             from o in db.Operators.Where(o => o.OrganizationId == organizationId && o.Id == operatorId).DefaultIfEmpty()
             select new ConversationWithOperator(c, o))
            .FirstOrDefault());
}

internal sealed record ConversationWithOperator(Conversation Conversation, Operator? Operator);

internal sealed class OperatorRepository(ConvorDbContext db) : IOperatorRepository
{
    public Task<Operator?> FindAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken) =>
        db.Operators.FirstOrDefaultAsync(o => o.OrganizationId == organizationId && o.Id == id, cancellationToken);

    public Task<bool> EmailExistsAsync(OrganizationId organizationId, string normalizedEmail, CancellationToken cancellationToken) =>
        db.Operators.AnyAsync(o => o.OrganizationId == organizationId && o.Email == normalizedEmail, cancellationToken);

    public void Add(Operator @operator) => db.Operators.Add(@operator);

    public Task<int> CountOpenConversationsAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken) =>
        db.Conversations.IgnoreQueryFilters()
            .Where(c => c.OrganizationId == organizationId && c.AssignedOperatorId == id)
            .Where(Conversation.InOperatorLoad)
            .CountAsync(cancellationToken);

    /// <summary>
    /// One query: the operators (tracked, so that the chosen one's version is checked on save)
    /// with their loads. The query filters are off because the routing drain has no caller;
    /// the organization is named explicitly instead.
    /// </summary>
    public async Task<IReadOnlyList<RoutingCandidate>> LoadRoutingCandidatesAsync(OrganizationId organizationId, CancellationToken cancellationToken)
    {
        var rows = await db.Operators.IgnoreQueryFilters()
            .Where(o => o.OrganizationId == organizationId && o.Active && o.Availability == OperatorAvailability.Online)
            .Select(o => new
            {
                Operator = o,
                Open = db.Conversations.Where(Conversation.InOperatorLoad)
                    .Count(c => c.OrganizationId == organizationId && c.AssignedOperatorId == o.Id),
            })
            .Where(r => r.Open < r.Operator.MaxConversations)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new RoutingCandidate(r.Operator, r.Open)).ToList();
    }
}

internal sealed class VisitorRepository(ConvorDbContext db) : IVisitorRepository
{
    public Task<Visitor?> FindAsync(OrganizationId organizationId, VisitorId id, CancellationToken cancellationToken) =>
        db.Visitors.FirstOrDefaultAsync(v => v.OrganizationId == organizationId && v.Id == id, cancellationToken);

    public void Add(Visitor visitor) => db.Visitors.Add(visitor);
}
