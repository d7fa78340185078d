using Convor.Domain.Common;

namespace Convor.Domain.Webhooks;

/// <summary>
/// An organization's receiver of webhook events: where to send them, which types it wants,
/// and the secret(s) that sign them. The secret is held only in its protected (encrypted)
/// form; this class never sees it in clear. During a rotation the previous secret keeps
/// signing beside the new one until <see cref="PreviousSecretExpiresAt"/>.
/// </summary>
public sealed class WebhookEndpoint
{
    public const int UrlMaxLength = 2048;
    public const int DescriptionMaxLength = 500;

    /// <summary>How long the old secret keeps signing after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    private WebhookEndpoint() { Url = string.Empty; Events = string.Empty; ProtectedSecret = string.Empty; }

    public WebhookEndpointId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public string Url { get; private set; }

    /// <summary>Space-separated event types, or <c>*</c> for all.</summary>
    public string Events { get; private set; }

    public string? Description { get; private set; }

    /// <summary>False: nothing is queued or sent to it (switched off by its owner, by a 410, or after days of failures).</summary>
    public bool Active { get; private set; }

    public string ProtectedSecret { get; private set; }
    public string? PreviousProtectedSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    /// <summary>Start of the current unbroken run of failed attempts; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<string> EventList => Events.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static WebhookEndpoint Create(
        OrganizationId organizationId, Uri url, IReadOnlyCollection<string> events, string? description, string protectedSecret, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedSecret);
        now = Timestamp.Normalize(now);
        return new WebhookEndpoint
        {
            Id = WebhookEndpointId.New(),
            OrganizationId = organizationId,
            Url = CheckedUrl(url),
            Events = NormalizeEvents(events),
            Description = NormalizeDescription(description),
            Active = true,
            ProtectedSecret = protectedSecret,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Applies the given changes (null leaves a field alone; an empty description clears it);
    /// returns false and keeps <see cref="UpdatedAt"/> when nothing differs. Turning an endpoint
    /// back on forgets its run of failures, so it gets a fresh five days.
    /// </summary>
    public bool Update(Uri? url, IReadOnlyCollection<string>? events, string? description, bool? active, DateTimeOffset now)
    {
        var changed = false;
        if (url is not null && CheckedUrl(url) is var newUrl && newUrl != Url) { Url = newUrl; changed = true; }
        if (events is not null && NormalizeEvents(events) is var newEvents && newEvents != Events) { Events = newEvents; changed = true; }
        if (description is not null && NormalizeDescription(description) is var newDescription && newDescription != Description) { Description = newDescription; changed = true; }
        if (active is { } a && a != Active)
        {
            Active = a;
            if (a) FailingSince = null;
            changed = true;
        }
        if (changed) UpdatedAt = Timestamp.Normalize(now);
        return changed;
    }

    /// <summary>The new secret signs from now on; the current one keeps signing beside it for <see cref="RotationOverlap"/>.</summary>
    public void RotateSecret(string newProtectedSecret, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newProtectedSecret);
        now = Timestamp.Normalize(now);
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretExpiresAt = now + RotationOverlap;
        ProtectedSecret = newProtectedSecret;
        UpdatedAt = now;
    }

    /// <summary>The protected secrets that sign a delivery sent at <paramref name="now"/>: the current one first.</summary>
    public static IReadOnlyList<string> SigningSecrets(string current, string? previous, DateTimeOffset? previousExpiresAt, DateTimeOffset now) =>
        previous is not null && previousExpiresAt > now ? [current, previous] : [current];

    public bool WantsEvent(string eventType) => Wants(Events, eventType);

    /// <summary>The subscription rule, usable on the stored column without loading the endpoint.</summary>
    public static bool Wants(string events, string eventType)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var subscribed in events.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (subscribed == WebhookEventTypes.Wildcard || subscribed == eventType) return true;
        return false;
    }

    private static string CheckedUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("A webhook URL is an absolute http(s) URL.", nameof(url));
        var text = url.AbsoluteUri;
        if (text.Length > UrlMaxLength) throw new ArgumentException($"A webhook URL is at most {UrlMaxLength} characters.", nameof(url));
        return text;
    }

    private static string NormalizeEvents(IReadOnlyCollection<string> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) throw new ArgumentException("An endpoint subscribes to at least one event type.", nameof(events));
        if (events.Contains(WebhookEventTypes.Wildcard)) return WebhookEventTypes.Wildcard;
        var unknown = events.Where(e => !WebhookEventTypes.IsKnown(e)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown event type(s): {string.Join(", ", unknown)}.", nameof(events));
        // Contract order, duplicates dropped: the same set always reads the same.
        return string.Join(' ', WebhookEventTypes.All.Where(events.Contains));
    }

    private static string? NormalizeDescription(string? description) =>
        string.IsNullOrWhiteSpace(description) ? null : description.Trim();
}
