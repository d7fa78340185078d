using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Persistence;

/// <summary>
/// What a conversation command sends to PostgreSQL once the key is cached (docs/adr/1100): one
/// read that brings the conversation (and, for an assignment, the operator), and one write batch
/// that carries the update, the activity entries, any outbox rows and, being PostgreSQL's implicit
/// transaction, the commit. No transaction of ours: a BEGIN rides with the first command, but its
/// COMMIT would be a round trip of its own. The commands are caught by an EF interceptor; each one
/// is one round trip on the wire (Npgsql sends a batch as one message sequence).
/// </summary>
public sealed class CommandRoundTripTests
{
    private readonly CommandRecorder recorder = new();
    private InterceptedPostgresHost api = null!;
    private HttpClient client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        api = await InterceptedPostgresHost.StartAsync(recorder, Webhooks.WebhookTestBase.WebhookSettings(allowPrivateNetworks: true));
        // The request runs in the test's execution context, so the recorder sees only the commands
        // of the request it records, not those of the background services (dispatcher, sweeps).
        api.Host.Server.PreserveExecutionContext = true;
        var org = await api.Factory.CreateOrganizationAsync("Round Trip Org");
        client = RivalFirstHost.ClientOf(api.Host, org.ApiKey);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        client?.Dispose();
        if (api is not null) await api.DisposeAsync();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Every_conversation_command_is_one_read_and_one_write_batch_without_a_transaction_of_ours(bool endpointSubscribed)
    {
        if (endpointSubscribed)
            await SendAsync(HttpMethod.Post, "/api/webhooks", new { url = $"http://receiver.test:{Loopback.FreePort()}/hook", events = new[] { "*" } });
        var conversation = (await SendAsync(HttpMethod.Post, "/api/conversations", new { channel = "api" }))["id"]!.GetValue<string>();
        var op = (await SendAsync(HttpMethod.Post, "/api/operators", new { name = "Op", email = $"op-{Guid.NewGuid():N}@example.test" }))["id"]!.GetValue<string>();
        var path = $"/api/conversations/{conversation}";

        (HttpMethod Method, string Path, object? Body)[] commands =
        [
            (HttpMethod.Post, path + "/assign", new { operatorId = op }),
            (HttpMethod.Post, path + "/unassign", null),
            (HttpMethod.Patch, path, new { priority = "high" }),
            (HttpMethod.Post, path + "/messages", new { author = "visitor", body = "Where is my parcel?" }),
            (HttpMethod.Post, path + "/messages", new { author = "operator", operatorId = op, body = "Let me check." }),
            (HttpMethod.Post, path + "/snooze", new { until = DateTimeOffset.UtcNow.AddHours(1) }),
            (HttpMethod.Post, path + "/close", new { }),
            (HttpMethod.Post, path + "/reopen", null),
        ];
        foreach (var (method, commandPath, body) in commands)
        {
            var sent = await recorder.RecordAsync(() => SendAsync(method, commandPath, body));

            var label = $"{method} {commandPath} {string.Join(" | ", sent.Commands.Select(c => c[..Math.Min(c.Length, 80)]))}";
            sent.TransactionsStarted.ShouldBe(0, label);
            var commandWork = sent.Commands.Where(c => !CacheRefill(c)).ToList();
            commandWork.Count.ShouldBe(2, label);
            commandWork[0].ShouldStartWith("SELECT", Case.Insensitive, label);
            commandWork[0].ShouldContain("FROM conversations", Case.Insensitive, label);
            commandWork[1].ShouldMatch("^(UPDATE|INSERT)", label);
            if (endpointSubscribed) commandWork[1].ShouldContain("webhook_deliveries", Case.Sensitive, label);
        }
    }

    /// <summary>
    /// The per-instance caches refill now and then, whatever the request: the key (every
    /// <c>Auth:KeyCacheMilliseconds</c>) and an organization's webhook subscriptions (every 2 s).
    /// Neither belongs to the command, and a slow machine may cross either bound mid-test.
    /// </summary>
    private static bool CacheRefill(string commandText) =>
        commandText.Contains("FROM api_keys", StringComparison.OrdinalIgnoreCase)
        || commandText.Contains("FROM webhook_endpoints", StringComparison.OrdinalIgnoreCase);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeInRange(200, 299, $"{method} {path}: {text}");
        return response.StatusCode == HttpStatusCode.NoContent ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Notes the text of every command and every transaction started by the code it records.</summary>
    private sealed class CommandRecorder : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private readonly AsyncLocal<Recording?> current = new();

        private sealed class Recording
        {
            public ConcurrentQueue<string> Commands { get; } = new();
            public int Transactions;
        }

        private ConcurrentQueue<string>? commands => current.Value?.Commands;

        public async Task<(IReadOnlyList<string> Commands, int TransactionsStarted)> RecordAsync(Func<Task> work)
        {
            var recording = new Recording();
            current.Value = recording;
            try
            {
                await work();
            }
            finally
            {
                current.Value = null;
            }
            return (recording.Commands.ToList(), recording.Transactions);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands?.Enqueue(command.CommandText.TrimStart());
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            commands?.Enqueue(command.CommandText.TrimStart());
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            commands?.Enqueue(command.CommandText.TrimStart());
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (current.Value is { } recording) Interlocked.Increment(ref recording.Transactions);
            return ValueTask.FromResult(result);
        }
    }
}
