using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>
/// With <c>Webhooks:AllowPrivateNetworks</c> off (the default), names that resolve to loopback,
/// private, metadata or IPv6 loopback addresses, and a loopback literal, are never delivered
/// to: the delivery records why, and no socket is opened at all. Names resolve through the fake
/// resolver only; the socket opener refuses anything outside loopback besides.
/// </summary>
public sealed class WebhookAddressSafetyTests(string database) : WebhookTestBase(database)
{
    protected override bool AllowPrivateNetworks => false;

    [TestCase("loopback.test", "loopback")]
    [TestCase("private.test", "private")]
    [TestCase("metadata.test", "cloud metadata")]
    [TestCase("[::1]", "loopback")]
    [TestCase("ipv6-loopback.test", "loopback")]
    [TestCase("127.0.0.1", "loopback")]
    public async Task A_host_that_resolves_to_a_forbidden_address_is_never_delivered_to(string host, string reason)
    {
        var path = NewPath();
        var endpoint = await CreateEndpointAsync(Org, $"http://{host}:{Receiver.Port}{path}", "conversation.created");

        await CreateConversationAsync(Org);

        var delivery = await GetDeliveryAsync(Org, Id(endpoint), d => d["attempts"]!.GetValue<int>() >= 1);
        delivery["lastError"]!.GetValue<string>().ShouldContain($"a {reason} address");
        delivery["lastError"]!.GetValue<string>().ShouldContain("delivery refused");
        delivery["lastStatusCode"].ShouldBeNull();
        Sockets.Attempts.ShouldBeEmpty();
        Receiver.At(path).ShouldBeEmpty();
    }
}
