using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster made from the machine's own server binaries: <c>initdb</c>
/// in a temp directory, <c>pg_ctl start</c> on a free loopback port with its unix socket in
/// that directory, deleted again on dispose. As root the binaries run as the <c>postgres</c>
/// user (initdb refuses root), or as <c>nobody</c> when that user does not exist.
/// <para>
/// The functional suite shares one cluster per test run (<see cref="SharedAsync"/>, one
/// database per fixture); a test that stops the server starts its own cluster so the others
/// never see the outage.
/// </para>
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Set (to anything but <c>0</c>) to fail instead of skip when no server binaries exist; .ci/run sets it.</summary>
    public const string RequireVariable = "CONVOR_TEST_REQUIRE_POSTGRES";

    /// <summary>Optional directory holding initdb and pg_ctl, instead of the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public const string BinVariable = "CONVOR_TEST_POSTGRES_BIN";

    private const string SuperUser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);
    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static PostgresCluster? shared;

    private readonly string binDirectory;
    private readonly string? runAsUser;
    private readonly string directory;
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private bool disposed;
    private bool exitHookRegistered;

    private PostgresCluster(string binDirectory, string? runAsUser)
    {
        this.binDirectory = binDirectory;
        this.runAsUser = runAsUser;
        // Short on purpose: the unix socket path inside it must stay under 108 bytes.
        directory = Path.Combine(Path.GetTempPath(), "convor-pg-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(directory, "data");

    private string LogFile => Path.Combine(directory, "server.log");

    /// <summary>Why no cluster can be started on this machine, or null when one can.</summary>
    public static string? UnavailableReason => FindBinDirectory() is null
        ? "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin "
          + $"(or ${BinVariable}); install the 'postgresql' package (.ci/run does) to run the PostgreSQL tests."
        : null;

    /// <summary>
    /// Skips the calling fixture or test (reported as ignored, with the reason) when this
    /// machine has no PostgreSQL binaries; fails instead when <see cref="RequireVariable"/> is set.
    /// </summary>
    public static void IgnoreUnlessAvailable()
    {
        if (UnavailableReason is not { } reason) return;
        if (Environment.GetEnvironmentVariable(RequireVariable) is { Length: > 0 } required && required != "0")
            Assert.Fail($"{RequireVariable} is set, but: {reason}");
        Assert.Ignore(reason);
    }

    /// <summary>The cluster the whole run shares, started on first use and stopped by <see cref="TestRun"/>.</summary>
    public static async Task<PostgresCluster> SharedAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            return shared ??= await StartNewAsync();
        }
        finally
        {
            SharedLock.Release();
        }
    }

    internal static async Task DisposeSharedAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            if (shared is not null) await shared.DisposeAsync();
            shared = null;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>A new cluster of its own (the caller disposes it).</summary>
    public static async Task<PostgresCluster> StartNewAsync()
    {
        IgnoreUnlessAvailable();
        var cluster = new PostgresCluster(FindBinDirectory()!, RunAsUser());
        try
        {
            await cluster.InitializeAsync();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await cluster.StartServerAsync();
                    return cluster;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // The free port was taken between choosing it and binding it: choose again.
                    cluster.Port = 0;
                }
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connection string of <paramref name="database"/> over TCP; <paramref name="options"/> are appended (e.g. <c>Timeout=2</c>).</summary>
    public string ConnectionString(string database, string? options = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = Port,
            Database = database,
            Username = SuperUser,
            Password = password,
        };
        return string.IsNullOrEmpty(options) ? builder.ConnectionString : builder.ConnectionString + ";" + options;
    }

    /// <summary>Runs one statement on the maintenance database (CREATE/DROP DATABASE).</summary>
    public async Task ExecuteAsync(string sql)
    {
        // No pooling: the maintenance connection must not outlive a stop of the server.
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", "Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Starts the server (again) on the same port and data directory; returns when it accepts connections.</summary>
    public async Task StartServerAsync()
    {
        if (Port == 0) Port = Loopback.FreePort();
        var options = string.Join(' ',
            "-c listen_addresses=" + IPAddress.Loopback,
            "-p " + Port,
            "-k " + directory,
            // A throwaway cluster: no need to survive an OS crash. WAL is still written before a
            // commit returns, so a killed server (pg_ctl stop -m immediate) loses no commit.
            "-c fsync=off",
            "-c full_page_writes=off",
            "-c max_connections=300",
            "-c shared_buffers=32MB");
        await RunAsync("pg_ctl", "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options);
        IsRunning = true;
        if (!exitHookRegistered)
        {
            // A run that ends without tearing down (a crashed or killed test host) must not
            // leave a server behind; a normal run has stopped it by then and this does nothing.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopOnProcessExit();
            exitHookRegistered = true;
        }
    }

    private void StopOnProcessExit()
    {
        if (!IsRunning) return;
        try
        {
            RunAsync("pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "10").GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Best effort while the process exits.
        }
    }

    /// <summary>
    /// Stops the server. <paramref name="immediate"/> kills every backend at once, like a crash
    /// or a pulled cable: transactions in flight are lost, committed ones survive.
    /// </summary>
    public async Task StopServerAsync(bool immediate = true)
    {
        await RunAsync("pg_ctl", "stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60");
        IsRunning = false;
    }

    /// <summary>
    /// Freezes the server and every backend (SIGSTOP): connections stay open and new ones are
    /// accepted by the kernel, but nothing answers, like a hung host. <see cref="ThawAsync"/> undoes it.
    /// </summary>
    public Task FreezeAsync() => SignalServerProcessesAsync("STOP");

    public Task ThawAsync() => SignalServerProcessesAsync("CONT");

    private async Task SignalServerProcessesAsync(string signal)
    {
        // The postmaster's id is the first line of postmaster.pid; its backends are its children.
        var postmaster = int.Parse((await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid")))[0], System.Globalization.CultureInfo.InvariantCulture);
        var children = Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(pid => ParentOf(pid!) == postmaster)
            .ToList();
        await RunToolAsync("kill", ["-s", signal, postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture), .. children!]);
    }

    private static int? ParentOf(string pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            if (IsRunning) await StopServerAsync(immediate: false);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is a temp directory.
            }
            catch (UnauthorizedAccessException)
            {
                // Best effort: it is a temp directory.
            }
        }
    }

    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        var passwordFile = Path.Combine(directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password);
        if (runAsUser is not null) await RunToolAsync("chown", ["-R", runAsUser, directory]);
        await RunAsync("initdb", "-D", DataDirectory, "-U", SuperUser, "--pwfile=" + passwordFile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
        File.Delete(passwordFile);
    }

    private Task RunAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(binDirectory, tool);
        return runAsUser is null
            ? RunToolAsync(executable, arguments)
            : RunToolAsync("runuser", ["-u", runAsUser, "--", executable, .. arguments]);
    }

    private async Task RunToolAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server user may not be allowed into the test's working directory.
            WorkingDirectory = Directory.Exists(directory) ? directory : Path.GetTempPath(),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {ToolTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', (await File.ReadAllLinesAsync(LogFile)).TakeLast(20)) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}\n{log}");
        }
    }

    private static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(BinVariable);
        if (!string.IsNullOrEmpty(configured)) return HasServerTools(configured) ? configured : null;
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(version => (Version: int.TryParse(Path.GetFileName(version), out var major) ? major : 0, Bin: Path.Combine(version, "bin")))
            .Where(candidate => HasServerTools(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    private static bool HasServerTools(string bin) =>
        File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"));

    /// <summary>initdb and postgres refuse to run as root: name the user they run as, or null to run as ourselves.</summary>
    private static string? RunAsUser()
    {
        if (!Environment.IsPrivilegedProcess) return null;
        var users = File.Exists("/etc/passwd")
            ? File.ReadLines("/etc/passwd").Select(line => line.Split(':')[0]).ToHashSet(StringComparer.Ordinal)
            : [];
        return users.Contains("postgres") ? "postgres" : "nobody";
    }
}
