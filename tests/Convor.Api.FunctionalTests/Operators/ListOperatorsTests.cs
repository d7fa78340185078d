using System.Net;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Operators;

public sealed class ListOperatorsTests(string database) : LifecycleApiTestBase(database)
{
    private static async Task<JsonObject> PageAsync(TestOrganization org, string query = "")
    {
        using var response = await org.Client.GetAsync("/api/operators" + (query.Length > 0 ? "?" + query : ""));
        return await ShouldBeOkAsync(response);
    }

    [Test]
    public async Task Operators_are_listed_oldest_first_inactive_ones_included()
    {
        var first = await CreateOperatorAsync(Org);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var inactive = await CreateOperatorAsync(Org, active: false);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var last = await CreateOperatorAsync(Org);

        var page = await PageAsync(Org);

        page.Select(p => p.Key).ShouldBe(["data", "nextCursor"]);
        Ids(page).ShouldBe([Id(first), Id(inactive), Id(last)]);
        Canonical(page["data"]![1]).ShouldBe(Canonical(inactive));
        page["nextCursor"].ShouldBeNull();
    }

    [Test]
    public async Task Pages_follow_the_cursor_without_skipping_or_repeating_while_operators_are_added()
    {
        var steady = new List<string>();
        for (var i = 0; i < 7; i++) steady.Add(Id(await CreateOperatorAsync(Org))); // same instant: the id breaks the tie
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await PageAsync(Org, "limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(Ids(page));
            cursor = page["nextCursor"]?.GetValue<string>();
            Clock.Advance(TimeSpan.FromSeconds(1));
            await CreateOperatorAsync(Org); // newer: appended at the end of the list
        }
        while (cursor is not null && seen.Count < 100);

        seen.Distinct().Count().ShouldBe(seen.Count);
        seen.Take(7).ShouldBe(steady, ignoreOrder: true);
        seen.Count.ShouldBeGreaterThan(7); // the walk also reached operators added meanwhile
    }

    [Test]
    public async Task Another_organizations_operators_never_appear()
    {
        var mine = await CreateOperatorAsync(Org);
        await CreateOperatorAsync(OtherOrg);

        Ids(await PageAsync(Org)).ShouldBe([Id(mine)]);
    }

    [TestCase("limit=0", "limit", "must be between 1 and 100")]
    [TestCase("limit=1000", "limit", "must be between 1 and 100")]
    [TestCase("limit=x", "limit", "must be an integer")]
    [TestCase("cursor=nope", "cursor", "is not a valid cursor")]
    public async Task A_malformed_query_is_400(string query, string field, string message)
    {
        using var response = await Client.GetAsync("/api/operators?" + query);

        await ShouldBeValidationErrorOnAsync(response, field, message);
    }

    [Test]
    public async Task A_conversation_cursor_is_not_an_operator_cursor()
    {
        await CreateConversationAsync(Org);
        await CreateConversationAsync(Org);
        var cursor = (await ListAsync(Org, "limit=1"))["nextCursor"]!.GetValue<string>();

        using var response = await Client.GetAsync("/api/operators?cursor=" + Uri.EscapeDataString(cursor));

        await ShouldBeValidationErrorOnAsync(response, "cursor", "was issued for a different list or filter set");
    }

    [Test]
    public async Task A_key_without_operators_read_is_403()
    {
        var conversationsOnly = await Factory.CreateKeyAsync(Org.OrgId, "conversations:read", "conversations:write");

        using var response = await conversationsOnly.Client.GetAsync("/api/operators");

        await ShouldBeErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }
}
