using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Queries;

/// <summary>Reads project in the database straight to wire models: no aggregate, no tracking.</summary>
internal sealed class ConversationQueries(ConvorDbContext db) : IConversationQueries
{
    public Task<ConversationResult?> GetAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken) =>
        db.Conversations.AsNoTracking()
            .Where(c => c.OrganizationId == organizationId && c.Id == id)
            .ProjectToResult()
            .FirstOrDefaultAsync(cancellationToken);
}

internal sealed class OperatorQueries(ConvorDbContext db) : IOperatorQueries
{
    public Task<OperatorResponse?> GetAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken) =>
        db.Operators.AsNoTracking()
            .Where(o => o.OrganizationId == organizationId && o.Id == id)
            .ProjectToResponse()
            .FirstOrDefaultAsync(cancellationToken);
}
