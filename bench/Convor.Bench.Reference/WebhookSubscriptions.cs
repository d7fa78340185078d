using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Convor.Bench.Reference;

/// <summary>
/// Which active endpoints of an organization want which events, cached per organization for
/// <see cref="Lifetime"/> as the API's <c>WebhookOutbox</c> does (same lifetime, same
/// subscription rule: the space-separated <c>Events</c> column holds the type or <c>*</c>).
/// An organization without endpoints costs a dictionary lookup per command and one small
/// query every two seconds, as in the API.
/// </summary>
internal sealed class WebhookSubscriptions(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The API's <c>WebhookOutbox.SubscriptionTtl</c>.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private const string Wildcard = "*";

    private const string ActiveEndpoints =
        "SELECT \"Id\", \"Events\" FROM webhook_endpoints WHERE \"OrganizationId\" = $1 AND \"Active\"";

    private sealed record Endpoint(Guid Id, string[] Events);

    private sealed record Cached(Endpoint[] Endpoints, long LoadedAt);

    private readonly ConcurrentDictionary<Guid, Cached> _byOrganization = new();
    private readonly long _lifetimeTicks = (long)(Lifetime.TotalSeconds * clock.TimestampFrequency);

    /// <summary>The endpoints to queue <paramref name="eventType"/> for (empty when none), and a new delivery id for each.</summary>
    public async ValueTask<(Guid[] Endpoints, Guid[] Deliveries)> ForAsync(Guid organizationId, string eventType, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (!_byOrganization.TryGetValue(organizationId, out var cached) || now - cached.LoadedAt >= _lifetimeTicks)
        {
            cached = new Cached(await LoadAsync(organizationId, cancellationToken), now);
            _byOrganization[organizationId] = cached;
        }
        if (cached.Endpoints.Length == 0) return ([], []);

        var endpoints = new List<Guid>(cached.Endpoints.Length);
        foreach (var endpoint in cached.Endpoints)
        {
            if (Array.IndexOf(endpoint.Events, Wildcard) >= 0 || Array.IndexOf(endpoint.Events, eventType) >= 0) endpoints.Add(endpoint.Id);
        }
        var deliveries = new Guid[endpoints.Count];
        for (var i = 0; i < deliveries.Length; i++) deliveries[i] = Guid.CreateVersion7();
        return ([.. endpoints], deliveries);
    }

    private async Task<Endpoint[]> LoadAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ActiveEndpoints);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organizationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var endpoints = new List<Endpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            endpoints.Add(new Endpoint(reader.GetGuid(0), reader.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
        return [.. endpoints];
    }
}
