using Convor.Application.Common.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Convor.Api.Telemetry;

/// <summary>
/// OpenTelemetry: traces of requests, database commands (PostgreSQL, SQL Server) and outgoing
/// HTTP calls; metrics of requests (ASP.NET Core's <c>http.server.request.duration</c> by route
/// and status), outgoing calls and <see cref="ConvorMetrics"/>. Exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c> variables apply).
/// <para>
/// Nothing a caller sent is recorded beyond the route and ids in the path: query strings are
/// dropped from server spans and outgoing URLs keep no query (a receiver's URL may carry a
/// token). Every log line carries the trace and span ids (and, in a request, the correlation id)
/// as scopes.
/// </para>
/// <para>
/// Spans are made only when something takes them: an OTLP endpoint, or <c>Telemetry:Traces</c>
/// set to true for an exporter added in code. Without one, every request and database command
/// would build a span only to drop it (measured: docs/performance.md, issue 16). Metrics are
/// always recorded (aggregated in process, read by <c>dotnet-counters</c> or exported).
/// </para>
/// </summary>
internal static class TelemetrySetup
{
    public const string ServiceName = "convor-api";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesSetting = "Telemetry:Traces";

    public static void AddConvorTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(ConvorMetrics.MeterName));
        if (!exporting && !builder.Configuration.GetValue<bool>(TracesSetting)) return;

        telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Probes of the load balancer are not traffic worth a trace each.
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
                    options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation(options =>
                    options.EnrichWithHttpRequestMessage = (activity, request) =>
                    {
                        if (request.RequestUri is { } uri) activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
                    })
                .AddNpgsql()
                .AddSqlClientInstrumentation());

        if (exporting)
        {
            telemetry.WithLogging(_ => { }, options => options.IncludeScopes = true);
            telemetry.UseOtlpExporter();
        }
    }
}
