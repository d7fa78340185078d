using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>
/// Every lifecycle and query route of a conversation with another organization's key: it answers exactly
/// like an unknown id (same status, code and message) and changes nothing; and the scopes.
/// </summary>
public sealed class LifecycleAccessTests(string database) : LifecycleApiTestBase(database)
{
    private static readonly (string Name, HttpMethod Method, string Suffix, string? Body)[] Routes =
    [
        ("get", HttpMethod.Get, "", null),
        ("events", HttpMethod.Get, "/events", null),
        ("reopen", HttpMethod.Post, "/reopen", null),
        ("snooze", HttpMethod.Post, "/snooze", """{"until":"2030-01-01T00:00:00.000Z"}"""),
        ("patch", HttpMethod.Patch, "", """{"priority":"urgent","metadata":{"owned":"yes"}}"""),
    ];

    private static IEnumerable<string> RouteNames => Routes.Select(r => r.Name);

    private static HttpRequestMessage Request(string name, string conversationId)
    {
        var route = Routes.Single(r => r.Name == name);
        var request = new HttpRequestMessage(route.Method, $"/api/conversations/{conversationId}{route.Suffix}");
        if (route.Body is not null) request.Content = Json(route.Body);
        return request;
    }

    [TestCaseSource(nameof(RouteNames))]
    public async Task Another_organizations_conversation_answers_like_an_unknown_one_and_stays_unchanged(string route)
    {
        var theirs = await CreateConversationAsync(OtherOrg);
        await CloseAsync(OtherOrg, Id(theirs)); // reopen would otherwise have nothing to do
        var before = await GetConversationJsonAsync(OtherOrg, Id(theirs));
        var eventsBefore = await EventsAsync(OtherOrg, Id(theirs));

        using var foreignRequest = Request(route, Id(theirs));
        using var foreign = await Client.SendAsync(foreignRequest);
        using var unknownRequest = Request(route, Guid.NewGuid().ToString());
        using var unknown = await Client.SendAsync(unknownRequest);

        var foreignError = await ShouldBeErrorAsync(foreign, HttpStatusCode.NotFound, "conversation_not_found");
        var unknownError = await ShouldBeErrorAsync(unknown, HttpStatusCode.NotFound, "conversation_not_found");
        foreignError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        Canonical(foreignError["details"]).ShouldBe(Canonical(unknownError["details"]));
        Canonical(await GetConversationJsonAsync(OtherOrg, Id(theirs))).ShouldBe(Canonical(before));
        Canonical(await EventsAsync(OtherOrg, Id(theirs))).ShouldBe(Canonical(eventsBefore));
    }

    [Test]
    public async Task The_list_never_shows_another_organizations_conversations_whatever_the_filter()
    {
        var op = await CreateOperatorAsync(OtherOrg);
        var theirs = await CreateConversationAsync(OtherOrg, new { channel = "email", priority = "urgent", metadata = new { subject = "theirs" } });
        await PostAsync(OtherOrg, $"/api/conversations/{Id(theirs)}/assign", new { operatorId = Id(op) });

        foreach (var query in new[] { "", "status=open", "priority=urgent", "channel=email", $"assignedOperatorId={Id(op)}", "q=theirs", "limit=100" })
            Ids(await ListAsync(Org, query)).ShouldBeEmpty(query);
    }

    [Test]
    public async Task A_cursor_made_by_another_organization_reveals_nothing_of_it()
    {
        await CreateConversationAsync(OtherOrg);
        await CreateConversationAsync(OtherOrg);
        var theirCursor = (await ListAsync(OtherOrg, "limit=1"))["nextCursor"]!.GetValue<string>();

        var page = await ListAsync(Org, "limit=1&cursor=" + Uri.EscapeDataString(theirCursor));

        Ids(page).ShouldBeEmpty();
        page["nextCursor"].ShouldBeNull();
    }

    [TestCase("reopen")]
    [TestCase("snooze")]
    [TestCase("patch")]
    public async Task A_read_only_key_cannot_run_commands(string route)
    {
        var conversation = await CreateConversationAsync(Org);
        var reader = await Factory.CreateKeyAsync(Org.OrgId, "conversations:read");

        using var request = Request(route, Id(conversation));
        using var response = await reader.Client.SendAsync(request);

        await ShouldBeErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task A_write_only_key_cannot_read_the_activity_log()
    {
        var conversation = await CreateConversationAsync(Org);
        var writer = await Factory.CreateKeyAsync(Org.OrgId, "conversations:write");

        using var response = await writer.Client.GetAsync($"/api/conversations/{Id(conversation)}/events");

        await ShouldBeErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Test]
    public async Task A_revoked_key_is_refused_on_the_new_routes()
    {
        var conversation = await CreateConversationAsync(Org);
        var key = await KeyOfOrgAsync();
        await Factory.RevokeKeyAsync(key.KeyId!.Value);

        // The key cache may keep a lookup for a few seconds; the first use here is after revocation.
        using var response = await key.Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/snooze", new { until = Stamp(Now.AddHours(1)) });

        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        (await GetConversationJsonAsync(Org, Id(conversation)))["status"]!.GetValue<string>().ShouldBe("open");
    }

    private static string Canonical(JsonArray array) => Canonical((JsonNode)array);
}
