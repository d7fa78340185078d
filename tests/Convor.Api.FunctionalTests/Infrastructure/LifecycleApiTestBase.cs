using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Application.Common.Serialization;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Conversations;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// Base of the lifecycle and query tests: the API runs on a fake clock the tests
/// move, and its background snooze sweep is off so that tests run single passes themselves.
/// </summary>
public abstract class LifecycleApiTestBase(string database) : ApiTestBase(database)
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 23, 8, 40, 0, TimeSpan.Zero));

    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Snooze:SweepEnabled"] = "false",
    };

    protected override void ReplaceServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    protected static string Stamp(DateTimeOffset value) => WireJson.FormatTimestamp(value);

    /// <summary>A second key of <see cref="ApiFixture.Org"/> whose id is known, for checking activity-log actors.</summary>
    protected Task<TestOrganization> KeyOfOrgAsync() => Factory.CreateKeyAsync(Org.OrgId, [.. ApiKeyScopes.All]);

    /// <summary>
    /// Writes a visitor message dated <paramref name="at"/> straight through the aggregate: the
    /// API dates messages with its clock's present, and list-order tests need them in the past.
    /// </summary>
    protected async Task RecordMessageAsync(string conversationId, DateTimeOffset at)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var id = new ConversationId(Guid.Parse(conversationId));
        var conversation = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == id);
        conversation.AddMessage(MessageAuthor.Visitor, null, "A message to order the list by.", at);
        await db.SaveChangesAsync();
    }

    protected async Task<int> SweepOnceAsync() =>
        await Factory.Services.GetRequiredService<SnoozeSweep>().SweepOnceAsync(CancellationToken.None);

    protected static async Task<HttpResponseMessage> PatchAsync(TestOrganization org, string path, object body) =>
        await org.Client.PatchAsJsonAsync(path, body);

    protected static async Task<JsonObject> ReopenAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.PostAsync($"/api/conversations/{id}/reopen", null);
        return await ShouldBeOkAsync(response);
    }

    protected static Task<JsonObject> SnoozeAsync(TestOrganization org, string id, DateTimeOffset until) =>
        PostAsync(org, $"/api/conversations/{id}/snooze", new { until = Stamp(until) });

    protected static async Task<JsonObject> CloseAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.PostAsync($"/api/conversations/{id}/close", null);
        return await ShouldBeOkAsync(response);
    }

    /// <summary>The whole activity log of a conversation (one page of 100).</summary>
    protected static async Task<JsonArray> EventsAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.GetAsync($"/api/conversations/{id}/events?limit=100");
        var page = await ShouldBeOkAsync(response);
        page["nextCursor"].ShouldBeNull();
        return page["data"]!.AsArray();
    }

    protected static IEnumerable<string> Types(JsonArray events) => events.Select(e => e!["type"]!.GetValue<string>());

    /// <summary>One page of the conversation list.</summary>
    protected static async Task<JsonObject> ListAsync(TestOrganization org, string query = "")
    {
        using var response = await org.Client.GetAsync("/api/conversations" + (query.Length > 0 ? "?" + query : ""));
        return await ShouldBeOkAsync(response);
    }

    protected static IReadOnlyList<string> Ids(JsonObject page) => page["data"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();

    protected static async Task ShouldBeValidationErrorOnAsync(HttpResponseMessage response, string field, string? message = null)
    {
        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        var messages = error["details"]![field].ShouldNotBeNull($"details: {error["details"]}").AsArray().Select(m => m!.GetValue<string>()).ToList();
        if (message is not null) messages.ShouldContain(message);
    }
}
