using System.Net;
using Convor.Infrastructure.Webhooks;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>Which addresses are refused (a pure function: no socket, no database).</summary>
public sealed class WebhookAddressPolicyTests
{
    [TestCase("127.0.0.1", "loopback")]
    [TestCase("127.9.9.9", "loopback")]
    [TestCase("::1", "loopback")]
    [TestCase("::ffff:127.0.0.1", "loopback")]
    [TestCase("10.0.0.1", "private")]
    [TestCase("172.16.0.1", "private")]
    [TestCase("172.31.255.255", "private")]
    [TestCase("192.168.1.1", "private")]
    [TestCase("::ffff:10.1.2.3", "private")]
    [TestCase("169.254.169.254", "cloud metadata")]
    [TestCase("169.254.1.1", "link-local")]
    [TestCase("fe80::1", "link-local")]
    [TestCase("100.64.0.1", "carrier-grade NAT")]
    [TestCase("100.127.255.255", "carrier-grade NAT")]
    [TestCase("fc00::1", "unique-local")]
    [TestCase("fd12:3456::1", "unique-local")]
    [TestCase("fd00:ec2::254", "cloud metadata")]
    [TestCase("0.0.0.0", "unspecified")]
    [TestCase("::", "unspecified")]
    [TestCase("224.0.0.1", "multicast or reserved")]
    [TestCase("ff02::1", "multicast")]
    public void Special_addresses_are_refused_with_the_reason(string address, string reason) =>
        WebhookAddressPolicy.WhyRefused(IPAddress.Parse(address)).ShouldBe(reason);

    [TestCase("93.184.216.34")]
    [TestCase("172.32.0.1")]
    [TestCase("100.128.0.1")]
    [TestCase("2606:4700:4700::1111")]
    public void Public_addresses_pass(string address) =>
        WebhookAddressPolicy.WhyRefused(IPAddress.Parse(address)).ShouldBeNull();
}
