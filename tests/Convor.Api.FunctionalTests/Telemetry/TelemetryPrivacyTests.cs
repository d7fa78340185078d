using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Hostile;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Convor.Api.FunctionalTests.Telemetry;

/// <summary>
/// Every route runs once with a real key and realistic bodies that carry recognisable text (an
/// email, a name, metadata, a search term), and once with a made-up key. The in-memory
/// exporters then hold every span, metric point and log record the API produced: none may carry
/// any of that text, the key or a hash of it; and every log line of a request carries the trace
/// id and the correlation id. PostgreSQL, so database commands are traced too.
/// </summary>
[NonParallelizable]
public sealed class TelemetryPrivacyTests
{
    private const string Email = "dana.sentinel@example.org";
    private const string Name = "Dana Sentinelname";
    private const string Text = "sentinel-body-text-where-is-my-order";
    private const string Search = "sentinelsearchterm";
    private const string CorrelationHeader = "X-Correlation-Id";

    private readonly List<Activity> spans = [];
    private readonly List<Metric> metrics = [];
    private readonly List<LogRecord> logs = [];
    private PostgresTestDatabase database = null!;
    private ConvorApiFactory factory = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        database = await PostgresTestDatabase.CreateAsync();
        factory = new ConvorApiFactory(database, new Dictionary<string, string?>
        {
            ["Snooze:SweepEnabled"] = "false", // only requests produce telemetry here
            ["Logging:LogLevel:Convor"] = "Debug",
            ["Telemetry:Traces"] = "true", // spans for the in-memory exporter below
        }, services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
            services.AddLogging(logging => logging.AddOpenTelemetry(options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
                options.AddInMemoryExporter(logs);
            }));
        });
        _ = factory.Server;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await factory.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task No_span_metric_tag_or_log_line_of_a_run_of_every_route_carries_a_body_an_email_a_key_or_a_secret()
    {
        var org = await factory.CreateOrganizationAsync("Telemetry Org");
        var madeUpKey = "cvr_" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        lock (logs) logs.Clear();
        lock (spans) spans.Clear();

        var ran = await RunEveryRouteAsync(org.Client, madeUpKey);
        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();

        ran.ShouldBe(ApiRoutes.All(factory).Select(r => r.ToString()).ToHashSet(), ignoreOrder: true);
        string[] forbidden = [Email, Name, Text, Search, org.ApiKey, madeUpKey, org.ApiKey[4..], Convor.Infrastructure.ApiKeys.ApiKeySecret.Hash(org.ApiKey)];

        var spanTexts = Snapshot(spans).Select(SpanText).ToList();
        spanTexts.ShouldNotBeEmpty();
        Snapshot(spans).ShouldContain(s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") != null);
        Snapshot(spans).ShouldContain(s => s.Source.Name == "Npgsql");
        var metricTexts = Snapshot(metrics).Select(MetricText).ToList();
        Snapshot(metrics).Select(m => m.Name).ShouldContain("http.server.request.duration");
        Snapshot(metrics).Select(m => m.Name).ShouldContain("convor.commands");
        var logRecords = Snapshot(logs);
        logRecords.ShouldNotBeEmpty();

        foreach (var text in spanTexts.Concat(metricTexts).Concat(logRecords.Select(LogText)))
        foreach (var secret in forbidden)
            text.ShouldNotContain(secret, Case.Insensitive);

        foreach (var record in logRecords)
        {
            record.TraceId.ShouldNotBe(default, LogText(record));
            Scopes(record).ShouldContain(s => s.Key == "CorrelationId", LogText(record));
        }
    }

    /// <summary>A realistic walk first (so commands succeed), then every route the API serves; returns the routes hit.</summary>
    private async Task<HashSet<string>> RunEveryRouteAsync(HttpClient client, string madeUpKey)
    {
        var ran = new HashSet<string>();
        async Task<JsonObject?> SendAsync(string method, string path, string? body = null, string? key = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Headers.Add("Idempotency-Key", "telemetry-" + Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request);
            response.Headers.Contains(CorrelationHeader).ShouldBeTrue();
            var template = ApiRoutes.All(factory).FirstOrDefault(r => r.Method == method && Matches(r.Template, path.Split('?')[0]));
            if (template is not null) ran.Add(template.ToString());
            var text = await response.Content.ReadAsStringAsync();
            return text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null;
        }

        var metadata = $$"""{"subject":"{{Text}}"}""";
        var op = await SendAsync("POST", "/api/operators", $$"""{"name":"{{Name}}","email":"{{Email}}"}""");
        var operatorId = op!["id"]!.GetValue<string>();
        var created = await SendAsync("POST", "/api/conversations", $$"""{"channel":"widget","metadata":{{metadata}}}""");
        var id = created!["id"]!.GetValue<string>();
        await SendAsync("POST", $"/api/conversations/{id}/assign", $$"""{"operatorId":"{{operatorId}}"}""");
        await SendAsync("PATCH", $"/api/conversations/{id}", $$"""{"priority":"high","metadata":{{metadata}}}""");
        await SendAsync("POST", $"/api/conversations/{id}/snooze", $$"""{"until":"{{DateTime.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");
        await SendAsync("POST", $"/api/conversations/{id}/unassign");
        await SendAsync("POST", $"/api/conversations/{id}/close", """{"resolvedBy":"visitor"}""");
        await SendAsync("POST", $"/api/conversations/{id}/reopen");
        await SendAsync("GET", $"/api/conversations?q={Search}&status=open");
        await SendAsync("PATCH", $"/api/operators/{operatorId}", $$"""{"name":"{{Name}}"}""");

        // Every route, including any added later, with a body that carries the same text, once
        // with the real key and once with a made-up one.
        var body = $$"""{"channel":"widget","name":"{{Name}}","email":"{{Email}}","metadata":{{metadata}},"text":"{{Text}}"}""";
        foreach (var route in ApiRoutes.All(factory))
        {
            var path = ApiRoutes.PathOf(route, parameter => route.Resource == "operators" ? operatorId : id);
            await SendAsync(route.Method, path, route.HasBody ? body : null);
            await SendAsync(route.Method, path, route.HasBody ? body : null, madeUpKey);
        }
        return ran;
    }

    private static bool Matches(string template, string path)
    {
        var t = template.Split('/');
        var p = path.TrimStart('/').Split('/');
        return t.Length == p.Length && t.Zip(p).All(pair => pair.First.StartsWith('{') || string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase));
    }

    private static List<T> Snapshot<T>(List<T> items)
    {
        lock (items) return [.. items];
    }

    private static string SpanText(Activity span) => string.Join('\n',
        [span.DisplayName, span.StatusDescription ?? "",
         .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"),
         .. span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))]);

    private static string MetricText(Metric metric)
    {
        var text = new StringBuilder(metric.Name);
        foreach (ref readonly var point in metric.GetMetricPoints())
            foreach (var tag in point.Tags)
                text.Append('\n').Append(tag.Key).Append('=').Append(tag.Value);
        return text.ToString();
    }

    private static List<KeyValuePair<string, object?>> Scopes(LogRecord record)
    {
        var scopes = new List<KeyValuePair<string, object?>>();
        record.ForEachScope((scope, state) =>
        {
            foreach (var item in scope) state.Add(item);
        }, scopes);
        return scopes;
    }

    private static string LogText(LogRecord record) => string.Join('\n',
        [record.CategoryName ?? "", record.FormattedMessage ?? "", record.Exception?.ToString() ?? "",
         .. (record.Attributes ?? []).Select(a => $"{a.Key}={a.Value}"),
         .. Scopes(record).Select(s => $"{s.Key}={s.Value}")]);
}
