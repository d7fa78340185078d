using System.Globalization;
using System.Net;
using System.Net.Sockets;

// A TCP relay between a server process and PostgreSQL that counts database round trips:
// each time a client starts sending after the database has answered it, the client has
// waited for the database once. Pipelined messages written together (Npgsql's BEGIN before
// the next command, an EF batch of several statements) count once, as they cost one wait.
//
// Usage: Convor.Bench.WireCounter --listen <port> --target <host:port> --report <file>
// The running total is written to <file> every 100 ms.
var options = ParseArguments(args);
var listenPort = int.Parse(options["--listen"], CultureInfo.InvariantCulture);
var target = options["--target"];
var reportPath = options["--report"];
var separator = target.LastIndexOf(':');
var targetHost = target[..separator];
var targetPort = int.Parse(target[(separator + 1)..], CultureInfo.InvariantCulture);

long roundTrips = 0;
var listener = new TcpListener(IPAddress.Loopback, listenPort);
listener.Start();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

_ = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        await File.WriteAllTextAsync(reportPath, Interlocked.Read(ref roundTrips).ToString(CultureInfo.InvariantCulture));
        await Task.Delay(100);
    }
});

try
{
    while (!stop.IsCancellationRequested)
    {
        var client = await listener.AcceptTcpClientAsync(stop.Token);
        _ = RelayAsync(client);
    }
}
catch (OperationCanceledException)
{
    // Stopped by the bench.
}
return 0;

async Task RelayAsync(TcpClient client)
{
    using (client)
    using (var database = new TcpClient())
    {
        client.NoDelay = true;
        database.NoDelay = true;
        await database.ConnectAsync(targetHost, targetPort);
        var clientStream = client.GetStream();
        var databaseStream = database.GetStream();
        // 1: the database has answered since the client last sent (or nothing was sent yet).
        var databaseAnswered = 1;
        var up = PumpAsync(clientStream, databaseStream, () =>
        {
            if (Interlocked.Exchange(ref databaseAnswered, 0) == 1) Interlocked.Increment(ref roundTrips);
        });
        var down = PumpAsync(databaseStream, clientStream, () => Volatile.Write(ref databaseAnswered, 1));
        await Task.WhenAny(up, down);
    }
}

static async Task PumpAsync(NetworkStream from, NetworkStream to, Action onData)
{
    var buffer = new byte[64 * 1024];
    try
    {
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            onData();
            await to.WriteAsync(buffer.AsMemory(0, read));
        }
    }
    catch (IOException)
    {
        // One side went away; the relay ends with it.
    }
    catch (ObjectDisposedException)
    {
        // The other pump ended the relay first.
    }
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2) options[args[i]] = args[i + 1];
    foreach (var required in new[] { "--listen", "--target", "--report" })
    {
        if (!options.ContainsKey(required))
            throw new ArgumentException($"Usage: --listen <port> --target <host:port> --report <file> ({required} is missing)");
    }
    return options;
}
