using System.Net;
using System.Net.Sockets;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>What the tests that start servers of their own share: free loopback ports and bounded waits.</summary>
public static class Loopback
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago (a server that fails to bind chooses again).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds, failing the test after <paramref name="limit"/>:
    /// a bounded wait for a state to be reached, not an assertion of speed.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Not reached within {limit}: {what}.");
            await Task.Delay(50);
        }
    }
}
