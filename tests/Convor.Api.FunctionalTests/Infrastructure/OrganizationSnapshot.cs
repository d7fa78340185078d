using System.Reflection;
using System.Text.Json;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// Every row the database holds for one organization, read straight from the tables (past the
/// query filters), as text. Two equal snapshots mean nothing of that organization changed,
/// appeared or disappeared. Every entity with an <c>OrganizationId</c> is included, so a table
/// added later is covered without touching this class.
/// </summary>
public static class OrganizationSnapshot
{
    private static readonly MethodInfo RowsOfMethod =
        typeof(OrganizationSnapshot).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static async Task<string> TakeAsync(ConvorApiFactory factory, Guid organizationId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var org = new OrganizationId(organizationId);
        var lines = new List<string>();
        foreach (var entityType in db.Model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var column = entityType.FindProperty("OrganizationId") is not null ? "OrganizationId"
                : entityType.ClrType == typeof(Domain.Organizations.Organization) ? "Id"
                : null;
            if (column is null || entityType.IsOwned()) continue;
            var rows = await (Task<List<string>>)RowsOfMethod.MakeGenericMethod(entityType.ClrType).Invoke(null, [db, column, org])!;
            lines.Add($"{entityType.ClrType.Name}: {rows.Count}");
            lines.AddRange(rows.Order(StringComparer.Ordinal));
        }
        return string.Join('\n', lines);
    }

    private static async Task<List<string>> RowsOfAsync<T>(ConvorDbContext db, string column, OrganizationId org) where T : class
    {
        var rows = await db.Set<T>().IgnoreQueryFilters().AsNoTracking()
            .Where(e => EF.Property<OrganizationId>(e, column) == org)
            .ToListAsync();
        return rows.Select(r => JsonSerializer.Serialize(r)).ToList();
    }
}
