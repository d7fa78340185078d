using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A throwaway <c>redis-server</c> from the machine's own package, on a free loopback port,
/// with no persistence and its files in a temp directory; stopped (killed) and deleted on
/// dispose. A test can stop it and start it again on the same port to play an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>Set (to anything but <c>0</c>) to fail instead of skip when redis-server is missing; .ci/run sets it.</summary>
    public const string RequireVariable = "CONVOR_TEST_REQUIRE_REDIS";

    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly string executable;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "convor-redis-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? process;

    private RedisServer(string executable) => this.executable = executable;

    public int Port { get; private set; }

    /// <summary>The <c>Redis:Configuration</c> value that reaches this server.</summary>
    public string Configuration => $"{IPAddress.Loopback}:{Port}";

    public static string? Executable => Candidates.FirstOrDefault(File.Exists);

    /// <summary>Skips the caller when redis-server is not installed, or fails when <see cref="RequireVariable"/> is set.</summary>
    public static void IgnoreUnlessAvailable()
    {
        if (Executable is not null) return;
        const string reason = "redis-server was not found; install the 'redis-server' package (.ci/run does) to run the Redis tests.";
        if (Environment.GetEnvironmentVariable(RequireVariable) is { Length: > 0 } required && required != "0")
            Assert.Fail($"{RequireVariable} is set, but: {reason}");
        Assert.Ignore(reason);
    }

    public static async Task<RedisServer> StartNewAsync()
    {
        IgnoreUnlessAvailable();
        var server = new RedisServer(Executable!);
        Directory.CreateDirectory(server.directory);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartAsync();
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    server.Port = 0; // the free port was taken meanwhile: choose again
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again, on the same port); returns when it answers PING.</summary>
    public async Task StartAsync()
    {
        if (Port == 0) Port = Loopback.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", IPAddress.Loopback.ToString(),
                     "--save", "", "--appendonly", "no", "--dir", directory,
                     "--daemonize", "no", "--loglevel", "warning",
                 })
            start.ArgumentList.Add(argument);
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode} (port {Port} taken?).");
            if (await AnswersPingAsync()) return;
            await Task.Delay(50);
        }
        throw new InvalidOperationException("redis-server did not answer PING within 20 s.");
    }

    /// <summary>Kills the server at once (SIGKILL): connections drop as when a host dies.</summary>
    public async Task StopAsync()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
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
