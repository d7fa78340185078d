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
    private static readonly CompiledPerModel<Func<ConvorDbContext, OrganizationId, ConversationId, CancellationToken, Task<Conversation?>>> ById = new(() =>
        EF.CompileAsyncQuery((ConvorDbContext db, OrganizationId organizationId, ConversationId id, CancellationToken _) =>
            db.Conversations.FirstOrDefault(c => c.OrganizationId == organizationId && c.Id == id)));

    // The conversation's row LEFT JOINed to the operator's (uncorrelated, so every provider can
    // translate it; SQLite has no APPLY); EF tracks both entities of the projection.
    private static readonly CompiledPerModel<Func<ConvorDbContext, OrganizationId, ConversationId, OperatorId, CancellationToken, Task<ConversationWithOperator?>>> WithOperator = new(() =>
        EF.CompileAsyncQuery((ConvorDbContext db, OrganizationId organizationId, ConversationId id, OperatorId operatorId, CancellationToken _) =>
            (from c in db.Conversations.Where(c => c.OrganizationId == organizationId && c.Id == id)
             from o in db.Operators.Where(o => o.OrganizationId == organizationId && o.Id == operatorId).DefaultIfEmpty()
             select new ConversationWithOperator(c, o))
            .FirstOrDefault()));

    private sealed record ConversationWithOperator(Conversation Conversation, Operator? Operator);

    public Task<Conversation?> FindAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken) =>
        ById.For(db)(db, organizationId, id, cancellationToken);

    public async Task<(Conversation? Conversation, Operator? Operator)> FindWithOperatorAsync(
        OrganizationId organizationId, ConversationId id, OperatorId operatorId, CancellationToken cancellationToken)
    {
        var row = await WithOperator.For(db)(db, organizationId, id, operatorId, cancellationToken);
        return (row?.Conversation, row?.Operator);
    }

    public void Add(Conversation conversation) => db.Conversations.Add(conversation);
}

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
