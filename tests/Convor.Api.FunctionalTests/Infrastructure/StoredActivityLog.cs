using System.Text.Json.Nodes;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>One row of <c>conversation_events</c>, as stored. A row that names no field changes (<c>message_added</c>) has empty before/after.</summary>
public sealed record StoredActivity(long Version, string Type, string Actor, JsonObject Before, JsonObject After);

/// <summary>
/// Reads the activity log and the conversations straight from the database the API uses,
/// across organizations (no caller, no query filter), and checks the log against the rows.
/// </summary>
public static class StoredActivityLog
{
    /// <summary>Fields the log tracks that a conversation starts without (the created row does not name them).</summary>
    private static readonly string[] UnsetAtCreation = ["assignedOperatorId", "resolvedBy", "snoozedUntil"];

    public static async Task<IReadOnlyList<StoredActivity>> ReadAsync(ConvorApiFactory factory, Guid conversationId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var id = new ConversationId(conversationId);
        var rows = await db.ActivityLog.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.ConversationId == id)
            .OrderBy(e => e.Version)
            .Select(e => new { e.Version, e.Type, e.Actor, e.Data })
            .ToListAsync();
        return rows.Select(r =>
        {
            var data = JsonNode.Parse(r.Data)!.AsObject();
            return new StoredActivity(r.Version, r.Type, r.Actor, data["before"]?.AsObject() ?? [], data["after"]?.AsObject() ?? []);
        }).ToList();
    }

    /// <summary>
    /// Checks the outbox against the log: every activity entry of the conversation has exactly
    /// one webhook delivery per subscribed endpoint (<paramref name="endpoints"/>), and no delivery
    /// names an event the log does not have (a lost race must leave neither).
    /// </summary>
    public static async Task ShouldHaveOneDeliveryPerEntryAsync(ConvorApiFactory factory, Guid conversationId, int endpoints = 1)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var id = new ConversationId(conversationId);
        var entries = await db.ActivityLog.IgnoreQueryFilters().Where(e => e.ConversationId == id).Select(e => e.Id).ToListAsync();
        var events = await db.WebhookDeliveries.Where(d => entries.Contains(d.EventId)).Select(d => d.EventId).ToListAsync();
        var organization = await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.OrganizationId).SingleAsync();
        var allOfOrganization = await db.WebhookDeliveries.CountAsync(d => d.OrganizationId == organization);
        var entriesOfOrganization = await db.ActivityLog.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == organization);
        events.ShouldBe(entries.SelectMany(e => Enumerable.Repeat(e, endpoints)), ignoreOrder: true);
        allOfOrganization.ShouldBe(entriesOfOrganization * endpoints, "a delivery without its activity entry");
    }

    /// <summary>Id and version of every conversation of the organization, as stored.</summary>
    public static async Task<IReadOnlyList<(Guid Id, long Version)>> ConversationsOfAsync(ConvorApiFactory factory, Guid organizationId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var org = new OrganizationId(organizationId);
        var rows = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.OrganizationId == org)
            .Select(c => new { c.Id, c.Version })
            .ToListAsync();
        return rows.Select(r => (r.Id.Value, r.Version)).ToList();
    }

    /// <summary>
    /// Replays the log from its <c>created</c> row and returns the state it implies. Asserts
    /// that the versions are exactly 1..n and that every row's "before" is the state the rows
    /// before it left: a change made on stale state (a lost update) breaks that chain.
    /// </summary>
    public static JsonObject Replay(IReadOnlyList<StoredActivity> log) => StatesAfterEachRow(log)[^1];

    /// <summary>As <see cref="Replay"/>; element <c>v - 1</c> is the state version <c>v</c> had.</summary>
    public static IReadOnlyList<JsonObject> StatesAfterEachRow(IReadOnlyList<StoredActivity> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.Count.ShouldBeGreaterThan(0, "a conversation has at least its created row");
        log[0].Type.ShouldBe("created");
        log.Select(e => e.Version).ShouldBe(Enumerable.Range(1, log.Count).Select(v => (long)v), "one row per version, no gaps, no duplicates");

        var states = new List<JsonObject>(log.Count);
        var state = new JsonObject();
        foreach (var field in UnsetAtCreation) state[field] = null;
        foreach (var entry in log)
        {
            foreach (var (field, before) in entry.Before)
            {
                if (entry.Type == "created") continue;
                JsonNode.DeepEquals(state[field], before).ShouldBeTrue(
                    $"row v{entry.Version} ({entry.Type}) says {field} was {before?.ToJsonString() ?? "null"}, the log before it left {state[field]?.ToJsonString() ?? "null"}");
            }
            foreach (var (field, after) in entry.After) state[field] = after?.DeepClone();
            states.Add(state.DeepClone().AsObject());
        }
        return states;
    }

    /// <summary>Asserts that every field the log implies has that value in <paramref name="conversation"/> (a GET body).</summary>
    public static void ShouldAgreeWith(JsonObject implied, JsonObject conversation)
    {
        ArgumentNullException.ThrowIfNull(implied);
        ArgumentNullException.ThrowIfNull(conversation);
        foreach (var (field, value) in implied)
        {
            conversation.ContainsKey(field).ShouldBeTrue($"the log names '{field}', which a conversation does not have");
            JsonNode.DeepEquals(conversation[field], value).ShouldBeTrue(
                $"{field}: the log implies {value?.ToJsonString() ?? "null"}, the conversation has {conversation[field]?.ToJsonString() ?? "null"}");
        }
    }
}
