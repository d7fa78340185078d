using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Tenancy;

/// <summary>
/// Database contexts are pooled: one instance serves request after request, and the caller is
/// the only state it carries for a request. Two organizations' requests, interleaved, must each
/// read and write as their own caller.
/// </summary>
public sealed class PooledContextTenancyTests(string database) : ApiTestBase(database)
{
    private const int Rounds = 40;

    [Test]
    public async Task Interleaved_reads_of_two_organizations_each_see_only_their_own_conversation()
    {
        var mine = Id(await CreateConversationAsync(Org));
        var theirs = Id(await CreateConversationAsync(OtherOrg));

        var reads = Enumerable.Range(0, Rounds).SelectMany(_ => new[]
        {
            (Read: StatusOfGetAsync(Org, mine), Expected: HttpStatusCode.OK),
            (Read: StatusOfGetAsync(OtherOrg, theirs), Expected: HttpStatusCode.OK),
            (Read: StatusOfGetAsync(Org, theirs), Expected: HttpStatusCode.NotFound),
            (Read: StatusOfGetAsync(OtherOrg, mine), Expected: HttpStatusCode.NotFound),
        }).ToList();
        await Task.WhenAll(reads.Select(r => r.Read));

        reads.Select(r => r.Read.Result).ShouldBe(reads.Select(r => r.Expected));
    }

    [Test]
    public async Task Interleaved_commands_of_two_organizations_are_logged_under_their_own_keys()
    {
        var myOperator = Id(await CreateOperatorAsync(Org));
        var theirOperator = Id(await CreateOperatorAsync(OtherOrg));
        var mine = await Task.WhenAll(Enumerable.Range(0, Rounds / 4).Select(_ => CreateConversationAsync(Org)));
        var theirs = await Task.WhenAll(Enumerable.Range(0, Rounds / 4).Select(_ => CreateConversationAsync(OtherOrg)));

        await Task.WhenAll(
            mine.Select(c => PostAsync(Org, $"/api/conversations/{Id(c)}/assign", new { operatorId = myOperator }))
                .Concat(theirs.Select(c => PostAsync(OtherOrg, $"/api/conversations/{Id(c)}/assign", new { operatorId = theirOperator }))));

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var organizations = new[] { new OrganizationId(Org.OrgId), new OrganizationId(OtherOrg.OrgId) };
        var actorOf = await db.ApiKeys.AsNoTracking()
            .Where(k => organizations.Contains(k.OrganizationId))
            .ToDictionaryAsync(k => k.OrganizationId, k => "apiKey:" + k.Id.Value.ToString("D"));
        var entries = await db.ActivityLog.IgnoreQueryFilters().AsNoTracking()
            .Where(e => organizations.Contains(e.OrganizationId))
            .ToListAsync();

        actorOf.Count.ShouldBe(2);
        entries.Count.ShouldBe(2 * mine.Length + 2 * theirs.Length); // created + assigned each
        entries.ShouldAllBe(e => e.Actor == actorOf[e.OrganizationId]);
    }

    private static async Task<HttpStatusCode> StatusOfGetAsync(TestOrganization org, string conversationId)
    {
        using var response = await org.Client.GetAsync($"/api/conversations/{conversationId}");
        return response.StatusCode;
    }
}
