using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Common.Serialization;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Webhooks;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Convor.Infrastructure.Webhooks;

/// <summary>
/// The outbox side of a save: each activity-log entry of a subscribed type becomes one
/// delivery row per subscribed endpoint, added to the same SaveChanges (so the same
/// transaction) as the change. Which endpoints of an organization want what is cached, so an
/// organization without endpoints costs one dictionary lookup per save; the cache entry of an
/// organization is dropped when one of its endpoints changes here, and lives at most
/// <see cref="SubscriptionTtl"/> so that changes made on another instance are seen soon.
/// </summary>
public sealed class WebhookOutbox(TimeProvider clock, WebhookDispatchSignal signal)
{
    /// <summary>How long another instance may go on using an organization's old subscriptions.</summary>
    public static readonly TimeSpan SubscriptionTtl = TimeSpan.FromSeconds(2);

    private sealed record Subscription(WebhookEndpointId EndpointId, string Events);

    private sealed record CachedSubscriptions(IReadOnlyList<Subscription> Endpoints, DateTimeOffset LoadedAt);

    private readonly ConcurrentDictionary<OrganizationId, CachedSubscriptions> _subscriptions = new();

    /// <summary>Adds the deliveries of <paramref name="entries"/> to <paramref name="db"/>; true when it added any.</summary>
    internal async Task<bool> QueueAsync(ConvorDbContext db, IReadOnlyList<ActivityLogEntry> entries, CancellationToken cancellationToken)
    {
        var queued = false;
        foreach (var entry in entries)
        {
            var eventType = WebhookEventTypes.ForActivityType(entry.Type);
            if (eventType is null) continue;
            var endpoints = await SubscriptionsAsync(db, entry.OrganizationId, cancellationToken);
            string? payload = null;
            foreach (var endpoint in endpoints)
            {
                if (!WebhookEndpoint.Wants(endpoint.Events, eventType)) continue;
                payload ??= WebhookPayload.Serialize(db, entry, eventType);
                db.WebhookDeliveries.Add(WebhookDelivery.Queue(entry.OrganizationId, endpoint.EndpointId, entry.Id, eventType, payload, clock.GetUtcNow()));
                queued = true;
            }
        }
        return queued;
    }

    /// <summary>The organizations whose endpoints this save adds, changes or removes.</summary>
    internal static IReadOnlyList<OrganizationId> OrganizationsWithChangedEndpoints(ConvorDbContext db) =>
        db.ChangeTracker.Entries<WebhookEndpoint>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.OrganizationId)
            .Distinct()
            .ToList();

    /// <summary>After the commit: wake the dispatcher, forget subscriptions that changed.</summary>
    internal void Committed(bool queued, IReadOnlyList<OrganizationId> changedSubscriptions)
    {
        foreach (var organizationId in changedSubscriptions) Forget(organizationId);
        if (queued) signal.Notify();
    }

    /// <summary>Drops the cached subscriptions of an organization (its endpoints changed).</summary>
    public void Forget(OrganizationId organizationId) => _subscriptions.TryRemove(organizationId, out _);

    private async ValueTask<IReadOnlyList<Subscription>> SubscriptionsAsync(ConvorDbContext db, OrganizationId organizationId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_subscriptions.TryGetValue(organizationId, out var cached) && now - cached.LoadedAt < SubscriptionTtl)
            return cached.Endpoints;
        var endpoints = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.OrganizationId == organizationId && e.Active)
            .Select(e => new Subscription(e.Id, e.Events))
            .ToListAsync(cancellationToken);
        _subscriptions[organizationId] = new CachedSubscriptions(endpoints, now);
        return endpoints;
    }
}

/// <summary>
/// The JSON body of an event: <c>{ id, type, timestamp, data: { version, conversation, entry, message? } }</c>,
/// written once when the event is queued and sent byte for byte on every attempt.
/// </summary>
public sealed record WebhookPayload
{
    public required Guid Id { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required WebhookPayloadData Data { get; init; }

    internal static string Serialize(ConvorDbContext db, ActivityLogEntry entry, string eventType)
    {
        var conversation = db.ChangeTracker.Entries<Conversation>().Select(e => e.Entity).FirstOrDefault(c => c.Id == entry.ConversationId)
            ?? throw new InvalidOperationException("An activity entry is saved without its conversation.");
        return JsonSerializer.Serialize(new WebhookPayload
        {
            Id = entry.Id,
            Type = eventType,
            Timestamp = entry.OccurredAt,
            Data = new WebhookPayloadData
            {
                Version = entry.Version,
                Conversation = conversation.ToResponse(),
                Entry = entry.ToResponse(),
                Message = eventType == WebhookEventTypes.MessageCreated ? MessageOf(db, entry)?.ToResponse() : null,
            },
        }, WireJson.Options);
    }

    /// <summary>The message a <c>message_added</c> entry records: written by the same save, at the entry's version.</summary>
    private static Message? MessageOf(ConvorDbContext db, ActivityLogEntry entry) =>
        db.ChangeTracker.Entries<Message>().Select(e => e.Entity)
            .FirstOrDefault(m => m.ConversationId == entry.ConversationId && m.ConversationVersion == entry.Version);
}

public sealed record WebhookPayloadData
{
    /// <summary>The conversation's version after the change (its ETag): receivers drop events older than what they applied.</summary>
    public required long Version { get; init; }

    public required ConversationResponse Conversation { get; init; }

    /// <summary>The activity-log entry, actor included.</summary>
    public required ConversationEventResponse Entry { get; init; }

    /// <summary>Only for <c>message.created</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageResponse? Message { get; init; }
}

/// <summary>Wakes this instance's dispatcher when a commit queued deliveries, so it need not wait for its next poll.</summary>
public sealed class WebhookDispatchSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before looking for work, so a notification in between is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
