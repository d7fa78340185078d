using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Application.Common.Serialization;
using Convor.Domain.Common;
using Convor.Domain.Operators;
using FluentValidation;
using Mediator;

namespace Convor.Application.Operators.ListOperators;

/// <summary>
/// <c>GET /api/operators</c>: the organization's operators, oldest first, paged like
/// conversations; <paramref name="Availability"/> keeps those with any of the given values.
/// </summary>
public sealed record ListOperatorsQuery(int? Limit = null, string? Cursor = null, IReadOnlyList<OperatorAvailability>? Availability = null)
    : IQuery<OperatorPage>
{
    public OperatorListFilter ToFilter() => new((Availability ?? []).Distinct().Order().ToList());
}

public static class OperatorListCursor
{
    public const string List = "operators";

    // Without a filter this hashes "none", the cursor every operator list had before filters.
    private static string FilterHash(OperatorListFilter filter) =>
        filter.Availability.Count == 0 ? PageCursor.HashFilters() : PageCursor.HashFilters(string.Join(',', filter.Availability));

    public static string Encode(OperatorResponse last, OperatorListFilter filter)
    {
        ArgumentNullException.ThrowIfNull(last);
        return PageCursor.Encode(List, FilterHash(filter), PageCursor.FormatTimestamp(last.CreatedAt), last.Id.ToString("D"));
    }

    public static OperatorListPosition? TryDecode(string cursor, OperatorListFilter filter, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, List, FilterHash(filter), keyLength: 2, out error);
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
        RuleForEach(q => q.Availability).IsInEnum().WithMessage(WireEnums.MustBeOneOf<OperatorAvailability>());
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is null) return;
            if (OperatorListCursor.TryDecode(cursor, context.InstanceToValidate.ToFilter(), out var error) is null)
                context.AddFailure(PageCursor.Field, error!);
        });
    }
}

public sealed class ListOperatorsQueryHandler(ICurrentCaller caller, IOperatorQueries queries)
    : IQueryHandler<ListOperatorsQuery, OperatorPage>
{
    public async ValueTask<OperatorPage> Handle(ListOperatorsQuery query, CancellationToken cancellationToken)
    {
        var filter = query.ToFilter();
        var after = query.Cursor is null ? null
            : OperatorListCursor.TryDecode(query.Cursor, filter, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;

        var rows = await queries.ListAsync(caller.OrganizationId, filter, after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        return new OperatorPage
        {
            Data = page,
            NextCursor = rows.Count > limit ? OperatorListCursor.Encode(page[^1], filter) : null,
        };
    }
}
