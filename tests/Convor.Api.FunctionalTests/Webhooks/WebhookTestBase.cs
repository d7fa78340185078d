using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>
/// Webhook tests: the API with a real loopback receiver, plain http and private networks
/// allowed (the receiver is on 127.0.0.1), fast retries, the fake resolver and the
/// loopback-only socket opener.
/// </summary>
public abstract class WebhookTestBase(string database) : ApiTestBase(database)
{
    /// <summary>A fixed test key (base64 of 32 bytes).</summary>
    public const string TestEncryptionKey = "dGVzdC1rZXktZm9yLXdlYmhvb2stc2VjcmV0cy0zMiE=";

    protected WebhookReceiver Receiver { get; } = new();
    protected FakeWebhookResolver Resolver { get; } = new();
    protected LoopbackOnlySocketOpener Sockets { get; } = new();

    protected virtual bool AllowPrivateNetworks => true;

    protected override IReadOnlyDictionary<string, string?> Settings => WebhookSettings(AllowPrivateNetworks);

    public static Dictionary<string, string?> WebhookSettings(bool allowPrivateNetworks) => new()
    {
        ["Webhooks:SecretEncryptionKey"] = TestEncryptionKey,
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["Webhooks:PollIntervalMilliseconds"] = "50",
        ["Webhooks:RetryDelaysSeconds"] = "0.2,0.2,0.2",
    };

    protected override void ReplaceServices(IServiceCollection services) => UseTestNetwork(services, Resolver, Sockets);

    public static void UseTestNetwork(IServiceCollection services, IWebhookHostResolver resolver, IWebhookSocketOpener sockets)
    {
        services.AddSingleton(resolver);
        services.AddSingleton(sockets);
    }

    [OneTimeSetUp]
    public Task StartReceiverAsync() => Receiver.StartAsync();

    [OneTimeTearDown]
    public async Task StopReceiverAsync() => await Receiver.DisposeAsync();

    /// <summary>A receiver path of its own for each test, so tests of one fixture never see each other's requests.</summary>
    protected static string NewPath() => "/hooks/" + Guid.NewGuid().ToString("N");

    protected static async Task<JsonObject> CreateEndpointAsync(TestOrganization org, string url, params string[] events)
    {
        using var response = await org.Client.PostAsJsonAsync("/api/webhooks", new { url, events = events.Length == 0 ? ["*"] : events, description = "test receiver" });
        return await ShouldBeOkAsync(response, HttpStatusCode.Created);
    }

    protected async Task<JsonObject> GetDeliveryAsync(TestOrganization org, string endpointId, Func<JsonObject, bool> until, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            using var response = await org.Client.GetAsync($"/api/webhooks/{endpointId}/deliveries");
            var page = await ShouldBeOkAsync(response);
            var delivery = page["data"]!.AsArray().Select(d => d!.AsObject()).FirstOrDefault(until);
            if (delivery is not null) return delivery;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No delivery reached the state the test waits for: " + page.ToJsonString());
            await Task.Delay(50);
        }
    }

    /// <summary>Standard Webhooks verification, written from the spec (the Node tests use the reference package).</summary>
    public static bool SignatureVerifies(ReceivedWebhook webhook, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.{webhook.Body}")));
        return webhook.Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }
}
