using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Mediator;

namespace Convor.Application.Operators.GetOperator;

public sealed record GetOperatorQuery(OperatorId OperatorId) : IQuery<OperatorResponse>;

public sealed class GetOperatorQueryHandler(ICurrentCaller caller, IOperatorQueries queries)
    : IQueryHandler<GetOperatorQuery, OperatorResponse>
{
    public async ValueTask<OperatorResponse> Handle(GetOperatorQuery query, CancellationToken cancellationToken) =>
        await queries.GetAsync(caller.OrganizationId, query.OperatorId, cancellationToken)
        ?? throw new OperatorNotFoundException();
}
