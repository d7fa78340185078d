using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Api.FunctionalTests.Webhooks;
using Convor.Domain.ApiKeys;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Telemetry;

/// <summary>
/// The dispatcher and the routing drain feed their metrics: deliveries by outcome, the outbox
/// backlog and the waiting conversations. Only this test's host is listened to (its meter
/// factory is the meters' scope), so other hosts running at the same time cannot make it pass.
/// </summary>
public sealed class DeliveryAndRoutingMetricsTests(string database) : WebhookTestBase(database)
{
    private sealed class HostMetrics : IDisposable
    {
        private readonly MeterListener listener = new();
        public ConcurrentDictionary<string, long> DeliveriesByOutcome { get; } = new();
        public ConcurrentDictionary<string, double> Gauges { get; } = new();

        public HostMetrics(IMeterFactory hostMeters)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, hostMeters) && instrument.Meter.Name == "Convor") l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "convor.webhook.deliveries")
                {
                    foreach (var tag in tags) if (tag.Key == "outcome") DeliveriesByOutcome.AddOrUpdate((string)tag.Value!, value, (_, sum) => sum + value);
                }
                else Gauges[instrument.Name] = value;
            });
            listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Gauges[instrument.Name] = value);
            listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Gauges[instrument.Name] = value);
            listener.Start();
        }

        public double Gauge(string name)
        {
            listener.RecordObservableInstruments();
            return Gauges.GetValueOrDefault(name, double.NaN);
        }

        public void Dispose() => listener.Dispose();
    }

    /// <summary>After one failure the next attempt is far away, so the failed delivery stays pending.</summary>
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(WebhookSettings(allowPrivateNetworks: true)) { ["Webhooks:RetryDelaysSeconds"] = "600" };

    [Test]
    public async Task Deliveries_by_outcome_the_outbox_backlog_and_the_waiting_conversations_are_measured()
    {
        using var metrics = new HostMetrics(Factory.Services.GetRequiredService<IMeterFactory>());
        var key = await Factory.CreateKeyAsync(Org.OrgId, [.. ApiKeyScopes.All]);
        var okPath = NewPath();
        var failingPath = NewPath();
        Receiver.Script(failingPath, 500);
        await CreateEndpointAsync(key, Receiver.BaseUrl + okPath, "conversation.handoff_requested");
        await CreateEndpointAsync(key, Receiver.BaseUrl + failingPath, "conversation.handoff_requested");

        // Nobody is online: the handoff waits, and both endpoints are told.
        var id = Id(await CreateConversationAsync(key));
        await PostAsync(key, $"/api/conversations/{id}/handoff", new { });
        await Receiver.WaitForAsync(r => r.Any(w => w.Path == okPath) && r.Any(w => w.Path == failingPath));

        await Loopback.WaitUntilAsync(() => Task.FromResult(metrics.DeliveriesByOutcome.GetValueOrDefault("succeeded") >= 1
            && metrics.DeliveriesByOutcome.GetValueOrDefault("failed") >= 1), TimeSpan.FromSeconds(30), "delivery outcomes counted");
        await Loopback.WaitUntilAsync(() => Task.FromResult(metrics.Gauge("convor.conversations.waiting") >= 1),
            TimeSpan.FromSeconds(30), "the drain reports the waiting conversation");
        // The failing endpoint's delivery stays pending until its retry: the backlog sees it.
        await Loopback.WaitUntilAsync(() => Task.FromResult(metrics.Gauge("convor.outbox.backlog") >= 1),
            TimeSpan.FromSeconds(30), "the dispatcher reports the backlog");

        // An operator comes online: the drain routes the conversation and reports nobody waiting.
        var @operator = await CreateOperatorAsync(key);
        using (var online = await key.Client.PatchAsJsonAsync($"/api/operators/{Id(@operator)}", new { availability = "online" }))
            online.EnsureSuccessStatusCode();
        await Loopback.WaitUntilAsync(() => Task.FromResult(metrics.Gauge("convor.conversations.waiting") == 0),
            TimeSpan.FromSeconds(30), "the drain reports an empty queue");
    }
}
