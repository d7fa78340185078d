using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Routing;

/// <summary>
/// Base of the routing tests: the API runs with its real clock and its routing drain on, as in
/// production; what the drain does in the background is awaited by polling with a deadline
/// (a bound on waiting, not a measure of speed).
/// </summary>
public abstract class RoutingApiTestBase(string database) : ApiTestBase(database)
{
    /// <summary>Generous on purpose: a busy machine may be slow; only a drain that never happens fails.</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>An active operator, then PATCHed to <paramref name="availability"/> with <paramref name="max"/>.</summary>
    protected static async Task<string> OperatorAsync(TestOrganization org, string availability = "online", int max = 5)
    {
        var id = Id(await CreateOperatorAsync(org));
        await PatchOperatorAsync(org, id, new { availability, maxConversations = max });
        return id;
    }

    protected static async Task<JsonObject> PatchOperatorAsync(TestOrganization org, string id, object body)
    {
        using var response = await org.Client.PatchAsJsonAsync($"/api/operators/{id}", body);
        return await ShouldBeOkAsync(response);
    }

    protected static async Task<JsonObject> GetOperatorAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.GetAsync($"/api/operators/{id}");
        return await ShouldBeOkAsync(response);
    }

    protected static async Task<int> OpenConversationsAsync(TestOrganization org, string operatorId) =>
        (await GetOperatorAsync(org, operatorId))["openConversations"]!.GetValue<int>();

    protected static async Task<JsonObject> HandoffAsync(TestOrganization org, string conversationId)
    {
        using var response = await org.Client.PostAsync($"/api/conversations/{conversationId}/handoff", null);
        return await ShouldBeOkAsync(response);
    }

    protected static async Task<IReadOnlyList<string>> WaitingAsync(TestOrganization org)
    {
        using var response = await org.Client.GetAsync("/api/conversations?waiting=true&limit=100");
        return (await ShouldBeOkAsync(response))["data"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
    }

    protected static string? AssigneeOf(JsonObject conversation) => conversation["assignedOperatorId"]?.GetValue<string>();

    protected static async Task<JsonArray> EventsAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.GetAsync($"/api/conversations/{id}/events?limit=100");
        return (await ShouldBeOkAsync(response))["data"]!.AsArray();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <see cref="Deadline"/>.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Deadline) Assert.Fail($"Not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    protected static async Task<HttpResponseMessage> PostEmptyAsync(TestOrganization org, string path) =>
        await org.Client.PostAsync(path, null);

    protected static async Task ShouldBeAssignedToAsync(TestOrganization org, string conversationId, string? operatorId)
    {
        var conversation = await GetConversationJsonAsync(org, conversationId);
        AssigneeOf(conversation).ShouldBe(operatorId, $"conversation {conversationId}");
    }

    protected static HttpStatusCode Ok => HttpStatusCode.OK;
}
