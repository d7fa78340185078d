using System.Net;
using System.Net.Sockets;

namespace Convor.Infrastructure.Webhooks;

/// <summary>Name resolution for webhook delivery; replaceable so that tests never resolve real names.</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? Task.FromResult<IPAddress[]>([literal]) : Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Opens the TCP connection to an address that passed the checks; replaceable so that tests can see every attempt.</summary>
public interface IWebhookSocketOpener
{
    ValueTask<Stream> OpenAsync(IPEndPoint endpoint, CancellationToken cancellationToken);
}

public sealed class TcpWebhookSocketOpener : IWebhookSocketOpener
{
    public async ValueTask<Stream> OpenAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A delivery refused before any connection was opened; the message says why and is recorded on the attempt.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>
/// Which addresses a webhook may reach. Unless private networks are allowed, every address of
/// the host must be public: loopback, private (RFC 1918), link-local (cloud metadata
/// 169.254.169.254 included), CGNAT (100.64/10), unique-local IPv6 (fc00::/7), unspecified,
/// multicast and the other special ranges are refused, IPv4-mapped IPv6 judged as its IPv4.
/// </summary>
public static class WebhookAddressPolicy
{
    /// <summary>Why <paramref name="address"/> is refused, or null when it is a public address.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                100 when b[1] >= 64 && b[1] <= 127 => "carrier-grade NAT",
                169 when b[1] == 254 => b[2] == 169 && b[3] == 254 ? "cloud metadata" : "link-local",
                172 when b[1] >= 16 && b[1] <= 31 => "private",
                192 when b[1] == 168 => "private",
                192 when b[1] == 0 && b[2] == 0 => "reserved",
                198 when b[1] == 18 || b[1] == 19 => "benchmarking",
                >= 224 => "multicast or reserved",
                _ => null,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None)) return "unspecified";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
            if (address.IsIPv6Multicast) return "multicast";
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC) return address.Equals(IPAddress.Parse("fd00:ec2::254")) ? "cloud metadata" : "unique-local";
            if (address.IsIPv4MappedToIPv6 is false && b[0] == 0 && b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return "IPv4-compatible";
            return null;
        }
        return "not an IP address";
    }
}

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of webhook delivery: resolves the host
/// itself, checks every address where the socket is opened (after DNS, so a name that resolves
/// to a private address is caught, and so is a name that changes between checks), and
/// connects only to an address that passed.
/// </summary>
public sealed class WebhookConnector(IWebhookHostResolver resolver, IWebhookSocketOpener opener, Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0) throw new WebhookAddressRefusedException($"{host} did not resolve to any address.");
        if (!options.Value.AllowPrivateNetworks)
        {
            // One forbidden address refuses the host: an attacker's DNS could answer it at the next try.
            foreach (var address in addresses)
            {
                if (WebhookAddressPolicy.WhyRefused(address) is { } reason)
                    throw new WebhookAddressRefusedException($"{host} resolves to a {reason} address ({address}); delivery refused.");
            }
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await opener.OpenAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            }
            catch (SocketException exception)
            {
                last = exception;
            }
        }
        throw last!;
    }
}
