using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Convor.Domain.Webhooks;

namespace Convor.Infrastructure.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Base64 of 32 bytes: the AES-256 key that encrypts endpoint secrets at rest. Development
    /// generates one when unset; elsewhere the API refuses to start without it once an endpoint exists.
    /// </summary>
    public string? SecretEncryptionKey { get; set; }

    /// <summary>Allow plain <c>http</c> endpoint URLs (tests, local development).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow delivery to loopback, private, link-local, CGNAT, unique-local and metadata addresses.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Run the dispatcher in this process.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for due deliveries when nothing woke it.</summary>
    [Range(10, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>Deliveries claimed at most at once by one instance.</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Endpoints sent to at the same time by one instance; each endpoint gets its deliveries one after another.</summary>
    [Range(1, 256)]
    public int MaxConcurrentEndpoints { get; set; } = 16;

    /// <summary>An attempt that has no answer within this many seconds failed.</summary>
    [Range(1, 120)]
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// How long a claim holds a delivery. Another instance takes it over only after this, so an
    /// instance that died mid-send delays its deliveries by at most this much.
    /// </summary>
    [Range(5, 3_600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>
    /// The waits between attempts, in seconds, comma-separated; empty means the contract's
    /// schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h). Tests shorten it.
    /// </summary>
    public string? RetryDelaysSeconds { get; set; }

    public IReadOnlyList<TimeSpan> RetryDelays() =>
        string.IsNullOrWhiteSpace(RetryDelaysSeconds)
            ? WebhookDeliveryPolicy.ContractRetryDelays
            : RetryDelaysSeconds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture))).ToList();
}

internal sealed class ConfiguredWebhookUrlPolicy(Microsoft.Extensions.Options.IOptions<WebhookOptions> options) : Application.Common.Abstractions.IWebhookUrlPolicy
{
    public bool AllowHttp => options.Value.AllowHttp;
}
