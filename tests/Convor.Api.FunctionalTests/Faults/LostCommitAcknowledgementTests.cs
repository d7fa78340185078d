using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Convor.Api.FunctionalTests.Faults;

/// <summary>
/// The connection breaks after the database committed but before it said so. EF Core's
/// execution strategy then sends the same save again: it must neither be written twice nor
/// be answered as a failure. (PostgreSQL: the provider with a retrying strategy that runs here.)
/// </summary>
public sealed class LostCommitAcknowledgementTests
{
    private readonly LoseNextCommitAcknowledgement loseAcknowledgement = new();
    private InterceptedPostgresHost api = null!;
    private TestOrganization org = null!;
    private HttpClient client = null!;

    private ConvorApiFactory factory => api.Factory;

    [OneTimeSetUp]
    public async Task StartAsync() => api = await InterceptedPostgresHost.StartAsync(loseAcknowledgement);

    [SetUp]
    public async Task NewOrganizationAsync()
    {
        org = await factory.CreateOrganizationAsync("Lost Ack Org");
        client = api.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.ApiKey);
    }

    [TearDown]
    public void DisposeClient() => client.Dispose();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (api is not null) await api.DisposeAsync();
    }

    [Test]
    public async Task A_create_whose_commit_acknowledgement_was_lost_is_created_once_and_answered_201()
    {
        loseAcknowledgement.Arm();
        using var response = await client.PostAsJsonAsync("/api/conversations", new { channel = "api" });

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        loseAcknowledgement.Fired.ShouldBeTrue();
        var id = Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
        (await StoredActivityLog.ConversationsOfAsync(factory, org.OrgId)).Select(c => c.Id).ShouldBe([id]);
        (await StoredActivityLog.ReadAsync(factory, id)).Select(e => e.Type).ShouldBe(["created"]);
    }

    [Test]
    public async Task A_command_whose_commit_acknowledgement_was_lost_is_done_once_and_answered_200()
    {
        using var created = await client.PostAsJsonAsync("/api/conversations", new { channel = "api" });
        var conversation = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var newOperator = await client.PostAsJsonAsync("/api/operators",
            new { name = "Op", email = $"op-{Guid.NewGuid():N}@example.test", role = "agent", active = true });
        var op = JsonNode.Parse(await newOperator.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        loseAcknowledgement.Arm();
        using var response = await client.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { operatorId = op });

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        loseAcknowledgement.Fired.ShouldBeTrue();
        JsonNode.Parse(text)!["assignedOperatorId"]!.GetValue<string>().ShouldBe(op);
        (await StoredActivityLog.ReadAsync(factory, Guid.Parse(conversation))).Select(e => e.Type).ShouldBe(["created", "assigned"]);
    }

    /// <summary>
    /// Once armed, fails the next commit after it succeeded, as a dropped connection would. A
    /// command's save on PostgreSQL is one batch without a transaction of ours (docs/adr/1100):
    /// its commit is the end of that batch, so the batch's reader is read to its end (the server
    /// has committed) and then the failure is thrown. A save in an explicit transaction fails
    /// after its COMMIT instead.
    /// </summary>
    private sealed class LoseNextCommitAcknowledgement : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private int armed;

        public bool Fired { get; private set; }

        public void Arm()
        {
            Fired = false;
            Interlocked.Exchange(ref armed, 1);
        }

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
            Interlocked.Exchange(ref armed, 0) == 0 ? Task.CompletedTask : Lose();

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            var writesWithoutTransaction = command.Transaction is null && !command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
            if (!writesWithoutTransaction || Interlocked.Exchange(ref armed, 0) == 0) return result;
            await eventData.DataReader.CloseAsync();
            await Lose();
            return result;
        }

        private Task Lose()
        {
            Fired = true;
            // What Npgsql throws when the socket dies mid-read: transient, so the strategy retries.
            throw new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        }
    }
}
