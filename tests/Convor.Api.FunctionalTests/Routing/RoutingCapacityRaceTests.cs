using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Routing;

/// <summary>
/// The capacity invariant under races, on PostgreSQL with two API instances over one database
/// (each its own DI container, connection pool and routing drain): N concurrent handoffs against
/// operators whose free capacity sums to C assign exactly min(N, C), leave the rest waiting, and
/// put nobody above its maximum; room that appears later goes to the oldest waiting, once each.
/// </summary>
public sealed class RoutingCapacityRaceTests(string database) : RoutingApiTestBase(database)
{
    private const int Handoffs = 60;
    private const int Operators = 3;
    private const int Maximum = 5;

    [Test]
    public async Task Sixty_concurrent_handoffs_on_two_instances_fill_three_operators_to_exactly_their_maximum_and_raised_room_takes_the_oldest()
    {
        if (Factory.Database.Provider != TestDatabases.Postgres) Assert.Ignore("Races need a database server that runs writers concurrently: PostgreSQL.");
        await using var second = new ConvorApiFactory(Factory.Database, Settings);

        // The same race twice in a row, each in a fresh organization.
        for (var round = 1; round <= 2; round++)
        {
            var org = await Factory.CreateOrganizationAsync($"Race {round}");
            var viaSecond = await second.CreateKeyAsync(org.OrgId);
            await RunRoundAsync(org, viaSecond, second);
        }
    }

    private async Task RunRoundAsync(TestOrganization first, TestOrganization second, ConvorApiFactory secondHost)
    {
        var operators = new List<string>();
        for (var i = 0; i < Operators; i++) operators.Add(await OperatorAsync(first, max: Maximum));
        var conversations = new List<string>();
        for (var i = 0; i < Handoffs; i++) conversations.Add(Id(await CreateConversationAsync(first)));

        using var start = new SemaphoreSlim(0);
        var handoffs = conversations.Select(async (id, i) =>
        {
            await start.WaitAsync();
            using var response = await (i % 2 == 0 ? first : second).Client.PostAsync($"/api/conversations/{id}/handoff", null);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(Handoffs);
        var answers = await Task.WhenAll(handoffs);

        answers.Where(a => a.StatusCode != HttpStatusCode.OK).ShouldBeEmpty("every handoff is answered 200, routed or waiting");
        // A handoff that lost every race queued instead; the drain settles those within the deadline.
        await EventuallyAsync(async () => (await LoadsAsync(first.OrgId)).Sum(l => l.Value) >= Operators * Maximum,
            "the free capacity assigned");
        (await LoadsAsync(first.OrgId)).Values.ShouldBe(Enumerable.Repeat(Maximum, Operators), "exactly each maximum, nobody above");
        var waiting = await WaitingAsync(first);
        waiting.Count.ShouldBe(Handoffs - Operators * Maximum);
        await DrainEverywhereAsync(secondHost);
        (await LoadsAsync(first.OrgId)).Values.ShouldAllBe(open => open == Maximum, "nobody above its maximum, even after more drains");

        // Five more places on one operator: the five oldest waiting get them, once each.
        var raised = operators[1];
        await PatchOperatorAsync(second, raised, new { maxConversations = 2 * Maximum });
        await EventuallyAsync(async () => (await WaitingAsync(first)).Count == waiting.Count - Maximum, "five more routed");
        await DrainEverywhereAsync(secondHost);

        (await WaitingAsync(first)).ShouldBe(waiting.Skip(Maximum).ToList(), "the oldest five were routed, and no more");
        foreach (var id in waiting.Take(Maximum)) await ShouldBeAssignedToAsync(first, id, raised);
        var loads = await LoadsAsync(first.OrgId);
        loads[raised].ShouldBe(2 * Maximum);
        loads.Values.Sum().ShouldBe(Operators * Maximum + Maximum);
        foreach (var id in conversations) await ShouldHaveOneEntryPerVersionAsync(first, id);
    }

    /// <summary>Each operator's open conversations, counted in the database.</summary>
    private async Task<Dictionary<string, int>> LoadsAsync(Guid orgId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var org = new OrganizationId(orgId);
        var rows = await db.Conversations.IgnoreQueryFilters()
            .Where(c => c.OrganizationId == org && c.AssignedOperatorId != null && c.Status != ConversationStatus.Closed)
            .GroupBy(c => c.AssignedOperatorId)
            .Select(g => new { Operator = g.Key, Open = g.Count() })
            .ToListAsync();
        return rows.ToDictionary(r => r.Operator!.Value.Value.ToString(), r => r.Open);
    }

    /// <summary>One more drain pass on each instance: whatever they do, nobody may go above its maximum.</summary>
    private async Task DrainEverywhereAsync(ConvorApiFactory secondHost) =>
        await Task.WhenAll(
            Factory.Services.GetRequiredService<RoutingDrain>().DrainOnceAsync(CancellationToken.None),
            secondHost.Services.GetRequiredService<RoutingDrain>().DrainOnceAsync(CancellationToken.None));

    private static async Task ShouldHaveOneEntryPerVersionAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.GetAsync($"/api/conversations/{id}");
        var version = long.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var events = await EventsAsync(org, id);
        events.Count.ShouldBe((int)version, $"conversation {id}: one entry per version");
        var types = events.Select(e => e!["type"]!.GetValue<string>()).ToList();
        types[0].ShouldBe("created");
        types.Skip(1).ShouldAllBe(t => t == "assigned" || t == "handoff_requested");
    }
}
