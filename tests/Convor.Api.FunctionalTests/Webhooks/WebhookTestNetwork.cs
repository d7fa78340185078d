using System.Collections.Concurrent;
using System.Net;
using Convor.Infrastructure.Webhooks;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>
/// Name resolution for the tests: a fixed table of test host names, IP literals as themselves,
/// and nothing else (never real DNS). Records every name asked for.
/// </summary>
public sealed class FakeWebhookResolver : IWebhookHostResolver
{
    public static readonly IReadOnlyDictionary<string, IPAddress> Hosts = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase)
    {
        ["receiver.test"] = IPAddress.Loopback,
        ["loopback.test"] = IPAddress.Loopback,
        ["private.test"] = IPAddress.Parse("10.0.0.1"),
        ["metadata.test"] = IPAddress.Parse("169.254.169.254"),
        ["ipv6-loopback.test"] = IPAddress.IPv6Loopback,
    };

    public ConcurrentQueue<string> Asked { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Asked.Enqueue(host);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return Task.FromResult<IPAddress[]>([literal]);
        return Hosts.TryGetValue(host, out var address)
            ? Task.FromResult<IPAddress[]>([address])
            : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }
}

/// <summary>
/// The tests' socket opener: records every connection attempt and refuses, without touching
/// the network, any address outside loopback, so that even a bug in the checks can reach
/// nothing but this machine.
/// </summary>
public sealed class LoopbackOnlySocketOpener : IWebhookSocketOpener
{
    private readonly TcpWebhookSocketOpener _inner = new();

    public ConcurrentQueue<IPEndPoint> Attempts { get; } = new();

    public ValueTask<Stream> OpenAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address))
            throw new InvalidOperationException($"Test safety net: a connection to {endpoint} was attempted; tests connect to loopback only.");
        return _inner.OpenAsync(endpoint, cancellationToken);
    }
}
