using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A throwaway HAProxy (the machine's Debian package) on a free loopback port in front of API
/// instances: round robin, health checks on <c>/health/ready</c> every 500 ms, and a connection
/// that fails before a request was sent is tried on another instance (safe for any method).
/// The same shape as deploy/local-cluster.sh.
/// </summary>
public sealed class HaproxyLoadBalancer : IAsyncDisposable
{
    /// <summary>Set (to anything but <c>0</c>) to fail instead of skip when haproxy is missing; .ci/run sets it.</summary>
    public const string RequireVariable = "CONVOR_TEST_REQUIRE_HAPROXY";

    private static readonly string[] Candidates = ["/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"];
    private readonly string directory = Path.Combine(Path.GetTempPath(), "convor-lb-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? process;

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://{IPAddress.Loopback}:{Port}");

    public static void IgnoreUnlessAvailable()
    {
        if (Candidates.Any(File.Exists)) return;
        const string reason = "haproxy was not found; install the 'haproxy' package (.ci/run does) to run the load-balancer tests.";
        if (Environment.GetEnvironmentVariable(RequireVariable) is { Length: > 0 } required && required != "0")
            Assert.Fail($"{RequireVariable} is set, but: {reason}");
        Assert.Ignore(reason);
    }

    public static async Task<HaproxyLoadBalancer> StartAsync(IReadOnlyList<int> backendPorts)
    {
        IgnoreUnlessAvailable();
        var balancer = new HaproxyLoadBalancer { Port = Loopback.FreePort() };
        Directory.CreateDirectory(balancer.directory);
        var configuration = Path.Combine(balancer.directory, "haproxy.cfg");
        await File.WriteAllTextAsync(configuration, Configuration(balancer.Port, backendPorts));
        var start = new ProcessStartInfo(Candidates.First(File.Exists))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-db", "-f", configuration }) start.ArgumentList.Add(argument);
        balancer.process = Process.Start(start) ?? throw new InvalidOperationException("Could not start haproxy.");
        balancer.process.OutputDataReceived += (_, _) => { };
        balancer.process.ErrorDataReceived += (_, _) => { };
        balancer.process.BeginOutputReadLine();
        balancer.process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = balancer.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (balancer.process.HasExited) throw new InvalidOperationException($"haproxy exited with {balancer.process.ExitCode}.");
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return balancer;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        await balancer.DisposeAsync();
        throw new InvalidOperationException("haproxy did not answer within 30 s.");
    }

    /// <summary>deploy/haproxy.cfg.template (copied next to the tests), filled in as deploy/local-cluster.sh fills it.</summary>
    public static string Configuration(int port, IReadOnlyList<int> backendPorts)
    {
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "haproxy.cfg.template"));
        var servers = string.Join('\n', backendPorts.Select((p, i) =>
            string.Create(CultureInfo.InvariantCulture, $"    server api{i + 1} {IPAddress.Loopback}:{p} check")));
        return template.Replace("{{PORT}}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{SERVERS}}", servers, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is a temp directory.
        }
    }
}
