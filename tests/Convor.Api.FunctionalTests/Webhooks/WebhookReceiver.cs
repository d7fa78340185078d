using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, int Attempt, string ContentType, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public string Type => Json["type"]!.GetValue<string>();
}

/// <summary>
/// A real HTTP receiver (Kestrel) on a loopback port fixed at construction, so it can be
/// stopped and started again on the same URL. It records every request, answers what the test
/// scripted per path (200 by default), and counts requests of the same (webhook-id, attempt)
/// that overlap in time.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? Location)>> _scripts = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private WebApplication? _app;
    private int _overlaps;

    public WebhookReceiver() => Port = FreeLoopbackPort();

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Requests of one (webhook-id, attempt) that arrived while another of the same was still being answered.</summary>
    public int ConcurrentDuplicates => Volatile.Read(ref _overlaps);

    /// <summary>How long each answer takes (to make overlapping duplicates visible if there were any).</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>The next requests to <paramref name="path"/> are answered with these statuses, in order; then 200.</summary>
    public void Script(string path, params int[] statuses)
    {
        var queue = _scripts.GetOrAdd(path, _ => new());
        foreach (var status in statuses) queue.Enqueue((status, null));
    }

    public void ScriptRedirect(string path, string location) => _scripts.GetOrAdd(path, _ => new()).Enqueue((302, location));

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public IReadOnlyList<ReceivedWebhook> At(string path) => Received.Where(r => r.Path == path).ToList();

    /// <summary>Waits (bounded) until the receiver has what <paramref name="done"/> asks for.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received;
            if (done(received)) return received;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The receiver did not get what the test waits for; it has {received.Count} requests: {string.Join(", ", received.Select(r => $"{r.Path} {r.Type} {r.Id}#{r.Attempt}"))}");
            await Task.Delay(50);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var request = new ReceivedWebhook(
            context.Request.Path.Value ?? "",
            headers["webhook-id"].ToString(),
            headers["webhook-timestamp"].ToString(),
            headers["webhook-signature"].ToString(),
            int.TryParse(headers["convor-webhook-attempt"].ToString(), out var attempt) ? attempt : 0,
            context.Request.ContentType ?? "",
            body);
        var key = request.Id + "#" + request.Attempt;
        if (_inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref _overlaps);
        try
        {
            _received.Enqueue(request);
            if (AnswerDelay > TimeSpan.Zero) await Task.Delay(AnswerDelay);
            var (status, location) = _scripts.TryGetValue(request.Path, out var script) && script.TryDequeue(out var next) ? next : (200, null);
            context.Response.StatusCode = status;
            if (location is not null) context.Response.Headers.Location = location;
            await context.Response.WriteAsync(status == 200 ? "ok" : "scripted " + status);
        }
        finally
        {
            _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
