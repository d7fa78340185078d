using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Domain.Common;
using FluentValidation;
using Mediator;

namespace Convor.Application.Operators.ListOperators;

/// <summary><c>GET /api/operators</c>: the organization's operators, oldest first, paged like conversations.</summary>
public sealed record ListOperatorsQuery(int? Limit = null, string? Cursor = null) : IQuery<OperatorPage>;

public static class OperatorListCursor
{
    public const string List = "operators";

    // No filters yet; hashing "none" keeps the cursor format the same as the other lists.
    private static readonly string NoFilters = PageCursor.HashFilters();

    public static string Encode(OperatorResponse last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return PageCursor.Encode(List, NoFilters, PageCursor.FormatTimestamp(last.CreatedAt), last.Id.ToString("D"));
    }

    public static OperatorListPosition? TryDecode(string cursor, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, List, NoFilters, keyLength: 2, out error);
        if (key is null) return null;
        if (!PageCursor.TryParseTimestamp(key[0], out var createdAt) || !PageCursor.TryParseGuid(key[1], out var id))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return new OperatorListPosition(createdAt, new OperatorId(id));
    }
}

public sealed class ListOperatorsQueryValidator : AbstractValidator<ListOperatorsQuery>
{
    public ListOperatorsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is null) return;
            if (OperatorListCursor.TryDecode(cursor, out var error) is null) context.AddFailure(PageCursor.Field, error!);
        });
    }
}

public sealed class ListOperatorsQueryHandler(ICurrentCaller caller, IOperatorQueries queries)
    : IQueryHandler<ListOperatorsQuery, OperatorPage>
{
    public async ValueTask<OperatorPage> Handle(ListOperatorsQuery query, CancellationToken cancellationToken)
    {
        var after = query.Cursor is null ? null
            : OperatorListCursor.TryDecode(query.Cursor, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;

        var rows = await queries.ListAsync(caller.OrganizationId, after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        return new OperatorPage
        {
            Data = page,
            NextCursor = rows.Count > limit ? OperatorListCursor.Encode(page[^1]) : null,
        };
    }
}
