// Webhook bench (not a test): the outbox's cost on the command mix, and delivery throughput
// and event-to-receipt latency, with the real API (in process, on Kestrel over loopback) and a
// real receiver (Kestrel, loopback). Prints a markdown report; asserts nothing.
//
// usage: Convor.Bench.Webhooks <provider> <connection string> [seconds per round] [workers]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api;
using Convor.Infrastructure.Administration;

var provider = args.Length > 0 ? args[0] : "Sqlite";
var connectionString = args.Length > 1 ? args[1] : $"Data Source={Path.Combine(Path.GetTempPath(), $"convor-bench-{Guid.NewGuid():N}.db")}";
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
var workers = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
const int ConversationsPerOrg = 400;

var apiPort = FreePort();
var receiverPort = FreePort();
var app = ConvorApi.Build(
[
    "--environment=Production",
    $"--urls=http://127.0.0.1:{apiPort}",
    $"--Database:Provider={provider}",
    $"--ConnectionStrings:Convor={connectionString}",
    "--Webhooks:SecretEncryptionKey=YmVuY2gta2V5LWZvci13ZWJob29rLXNlY3JldHMtMzI=",
    "--Webhooks:AllowHttp=true",
    "--Webhooks:AllowPrivateNetworks=true",
    "--RateLimiting:PermitLimit=10000000",
    "--Logging:LogLevel:Default=Warning",
]);
await app.StartAsync();

// The receiver: answers 204 at once and notes when each event arrived.
var receipts = new ConcurrentDictionary<string, (DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt)>();
var receiverBuilder = WebApplication.CreateSlimBuilder();
receiverBuilder.Logging.ClearProviders();
receiverBuilder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, receiverPort));
var receiver = receiverBuilder.Build();
receiver.Run(async context =>
{
    var body = await JsonNode.ParseAsync(context.Request.Body);
    var occurredAt = DateTimeOffset.Parse(body!["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    receipts.TryAdd(context.Request.Headers["webhook-id"].ToString(), (occurredAt, DateTimeOffset.UtcNow));
    context.Response.StatusCode = 204;
});
await receiver.StartAsync();

var baseUrl = $"http://127.0.0.1:{apiPort}";
var without = await CreateOrganizationAsync("without endpoint");
var with = await CreateOrganizationAsync("with endpoint");
using (var endpoint = await with.Client.PostAsJsonAsync("/api/webhooks", new { url = $"http://127.0.0.1:{receiverPort}/bench", events = new List<string> { "*" } }))
    endpoint.EnsureSuccessStatusCode();
var operatorsWithout = await CreateOperatorAsync(without.Client);
var operatorsWith = await CreateOperatorAsync(with.Client);
var conversationsWithout = await CreateConversationsAsync(without.Client);
var conversationsWith = await CreateConversationsAsync(with.Client);
await WaitForDrainAsync(ConversationsPerOrg, TimeSpan.FromMinutes(5));
receipts.Clear();

// Warm-up, then alternate rounds so that drift in the machine hits both alike.
await RunMixAsync(without.Client, conversationsWithout, operatorsWithout, 3);
await RunMixAsync(with.Client, conversationsWith, operatorsWith, 3, countEvents: true);
await WaitForDrainAsync(0, TimeSpan.FromMinutes(5), expectAtLeastSent: true);
receipts.Clear();
sentWith = 0;

var rates = new Dictionary<string, List<double>> { ["none"] = [], ["one"] = [] };
var deliveryWindowStart = DateTimeOffset.UtcNow;
for (var round = 0; round < 2; round++)
{
    rates["none"].Add(await RunMixAsync(without.Client, conversationsWithout, operatorsWithout, seconds));
    rates["one"].Add(await RunMixAsync(with.Client, conversationsWith, operatorsWith, seconds, countEvents: true));
}
var drained = await WaitForDrainAsync(0, TimeSpan.FromMinutes(10), expectAtLeastSent: true);
var deliveredUnderLoad = receipts.Count;
var deliveryWindow = receipts.IsEmpty ? 1 : (receipts.Values.Max(r => r.ReceivedAt) - deliveryWindowStart).TotalSeconds;
var latencies = receipts.Values.Select(r => (r.ReceivedAt - r.OccurredAt).TotalMilliseconds).Order().ToArray();

// Latency without a backlog: one command every 50 ms (about 20 events/s) for the same time.
receipts.Clear();
sentWith = 0;
await RunMixAsync(with.Client, conversationsWith, operatorsWith, seconds, countEvents: true, pauseMilliseconds: 50);
var pacedDrained = await WaitForDrainAsync(0, TimeSpan.FromMinutes(5), expectAtLeastSent: true);
var paced = receipts.Values.Select(r => (r.ReceivedAt - r.OccurredAt).TotalMilliseconds).Order().ToArray();

var none = rates["none"].Average();
var one = rates["one"].Average();
Console.WriteLine($"## Webhooks bench ({provider}, {Environment.ProcessorCount} cores, {workers} client workers, 2 × {seconds} s per variant)");
Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| command mix, organization without endpoints | {none:F0} commands/s |");
Console.WriteLine($"| command mix, organization with one subscribed endpoint | {one:F0} commands/s |");
Console.WriteLine($"| outbox cost | {(1 - one / none) * 100:F1} % fewer commands/s |");
Console.WriteLine($"| events of the mix delivered | {deliveredUnderLoad} ({(drained ? "all" : "NOT all")}) |");
Console.WriteLine($"| delivery throughput (first command to last receipt) | {deliveredUnderLoad / deliveryWindow:F0} events/s |");
Console.WriteLine($"| event-to-receipt latency under the mix, p50 / p99 / max | {Percentile(latencies, 0.50):F0} / {Percentile(latencies, 0.99):F0} / {(latencies.Length > 0 ? latencies[^1] : 0):F0} ms |");
Console.WriteLine($"| event-to-receipt latency at ~20 events/s, p50 / p99 / max ({paced.Length} events{(pacedDrained ? "" : ", NOT all")}) | {Percentile(paced, 0.50):F0} / {Percentile(paced, 0.99):F0} / {(paced.Length > 0 ? paced[^1] : 0):F0} ms |");

await receiver.StopAsync();
await app.StopAsync();
return 0;

async Task<(HttpClient Client, Guid OrgId)> CreateOrganizationAsync(string name)
{
    await using var scope = app.Services.CreateAsyncScope();
    var created = await scope.ServiceProvider.GetRequiredService<AdminService>().CreateOrganizationAsync(name, CancellationToken.None);
    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 }) { BaseAddress = new Uri(baseUrl) };
    client.DefaultRequestHeaders.Authorization = new("Bearer", created.ApiKey);
    return (client, created.OrgId);
}

async Task<string> CreateOperatorAsync(HttpClient client)
{
    using var response = await client.PostAsJsonAsync("/api/operators", new { name = "Bench", email = $"bench-{Guid.NewGuid():N}@example.com" });
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
}

async Task<string[]> CreateConversationsAsync(HttpClient client)
{
    var ids = new string[ConversationsPerOrg];
    await Parallel.ForAsync(0, ConversationsPerOrg, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, ct) =>
    {
        using var response = await client.PostAsJsonAsync("/api/conversations", new { channel = "api" }, ct);
        response.EnsureSuccessStatusCode();
        ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
    });
    return ids;
}

// The mix of bench/mix.lua in spirit: each worker walks its own conversations, assigning an
// unassigned one and unassigning an assigned one, so every request is a real change that writes
// one activity entry (and, for the subscribed organization, one event).
async Task<double> RunMixAsync(HttpClient client, string[] conversations, string operatorId, int durationSeconds, bool countEvents = false, int pauseMilliseconds = 0)
{
    var done = 0L;
    var stop = Stopwatch.StartNew();
    var activeWorkers = pauseMilliseconds > 0 ? 1 : workers;
    await Task.WhenAll(Enumerable.Range(0, activeWorkers).Select(async worker =>
    {
        var mine = conversations.Where((_, i) => i % activeWorkers == worker).ToArray();
        var step = 0;
        while (stop.Elapsed.TotalSeconds < durationSeconds)
        {
            var id = mine[step % mine.Length];
            var assign = !assigned.ContainsKey(id);
            using var response = assign
                ? await client.PostAsJsonAsync($"/api/conversations/{id}/assign", new { operatorId })
                : await client.PostAsync($"/api/conversations/{id}/unassign", null);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode} from the mix");
            if (assign) assigned[id] = true; else assigned.TryRemove(id, out _);
            Interlocked.Increment(ref done);
            step++;
            if (pauseMilliseconds > 0) await Task.Delay(pauseMilliseconds);
        }
    }));
    if (countEvents) Interlocked.Add(ref sentWith, done);
    return done / stop.Elapsed.TotalSeconds;
}

async Task<bool> WaitForDrainAsync(long expected, TimeSpan timeout, bool expectAtLeastSent = false)
{
    var until = DateTime.UtcNow + timeout;
    while (DateTime.UtcNow < until)
    {
        if (receipts.Count >= (expectAtLeastSent ? sentWith : expected)) return true;
        await Task.Delay(100);
    }
    return false;
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

internal static partial class Program
{
    private static long sentWith;
    private static readonly ConcurrentDictionary<string, bool> assigned = new();
}
