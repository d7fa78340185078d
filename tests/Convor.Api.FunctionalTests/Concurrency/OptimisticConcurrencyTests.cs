using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Models;
using Convor.Application.Conversations.AssignOperator;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Concurrency;

/// <summary>
/// The version column as ETag and concurrency token. A rival writer that commits just before
/// the command's own save makes a lost race happen on demand, so the retry and its bound are
/// tested exactly rather than by chance.
/// </summary>
public sealed class OptimisticConcurrencyTests(string database) : ApiTestBase(database)
{
    private static readonly int MaxAttempts = ConcurrencyRetryBehaviour<AssignOperatorCommand, ConversationResult>.MaxAttempts;

    [Test]
    public async Task A_command_that_loses_a_race_is_retried_on_fresh_state_and_keeps_the_winners_change()
    {
        await SubscribeEndpointAsync();
        var conversation = Id(await CreateConversationAsync(Org));
        var op = Id(await CreateOperatorAsync(Org));
        var rival = new RivalWriter(Guid.Parse(conversation), commits: 1);
        await using var host = HostWith(rival);

        using var response = await ClientOf(host).PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { operatorId = op });

        var body = await ShouldBeOkAsync(response);
        body["assignedOperatorId"]!.GetValue<string>().ShouldBe(op);
        body["priority"]!.GetValue<string>().ShouldBe("high", "the rival's change survives the retry");
        response.Headers.ETag!.Tag.ShouldBe("\"3\"");
        rival.SavesSeen.ShouldBe(2, "one lost save, one retried save");
        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
        log.Select(e => e.Type).ShouldBe(["created", "priority_changed", "assigned"]);
        StoredActivityLog.ShouldAgreeWith(StoredActivityLog.Replay(log), await GetConversationJsonAsync(Org, conversation));
        await StoredActivityLog.ShouldHaveOneDeliveryPerEntryAsync(Factory, Guid.Parse(conversation));
    }

    [Test]
    public async Task A_command_that_loses_every_retry_is_409_concurrency_conflict_and_writes_nothing()
    {
        await SubscribeEndpointAsync();
        var conversation = Id(await CreateConversationAsync(Org));
        var op = Id(await CreateOperatorAsync(Org));
        var rival = new RivalWriter(Guid.Parse(conversation), commits: int.MaxValue);
        await using var host = HostWith(rival);

        using var response = await ClientOf(host).PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { operatorId = op });

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "concurrency_conflict");
        rival.SavesSeen.ShouldBe(MaxAttempts, "bounded: the first attempt and its retries, no more");
        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
        log.Select(e => e.Type).ShouldBe(["created", .. Enumerable.Repeat("priority_changed", MaxAttempts)]);
        var stored = await GetConversationJsonAsync(Org, conversation);
        stored["assignedOperatorId"].ShouldBeNull();
        StoredActivityLog.ShouldAgreeWith(StoredActivityLog.Replay(log), stored);
        await StoredActivityLog.ShouldHaveOneDeliveryPerEntryAsync(Factory, Guid.Parse(conversation));
    }

    [Test]
    public async Task A_command_whose_If_Match_held_when_sent_but_lost_the_race_is_412_not_retried_over_the_change()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var op = Id(await CreateOperatorAsync(Org));
        var rival = new RivalWriter(Guid.Parse(conversation), commits: 1);
        await using var host = HostWith(rival);
        var client = ClientOf(host);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversation}/assign")
        {
            Content = JsonContent.Create(new { operatorId = op }),
        };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var response = await client.SendAsync(request);

        await ShouldBeErrorAsync(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        var stored = await GetConversationJsonAsync(Org, conversation);
        stored["assignedOperatorId"].ShouldBeNull();
        stored["priority"]!.GetValue<string>().ShouldBe("high");
    }

    [Test]
    public async Task If_Match_with_a_stale_ETag_is_412_and_changes_nothing()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var first = Id(await CreateOperatorAsync(Org));
        var second = Id(await CreateOperatorAsync(Org));
        using (var read = await Client.GetAsync($"/api/conversations/{conversation}"))
            read.Headers.ETag!.Tag.ShouldBe("\"1\"");

        using (var assigned = await AssignAsync(conversation, first, "\"1\""))
        {
            await ShouldBeOkAsync(assigned);
            assigned.Headers.ETag!.Tag.ShouldBe("\"2\"");
        }

        using (var stale = await AssignAsync(conversation, second, "\"1\""))
            await ShouldBeErrorAsync(stale, HttpStatusCode.PreconditionFailed, "precondition_failed");
        var stored = await GetConversationJsonAsync(Org, conversation);
        stored["assignedOperatorId"]!.GetValue<string>().ShouldBe(first);
        (await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation))).Count.ShouldBe(2);
    }

    [TestCase("\"2\"")]
    [TestCase("\"7\", \"2\"")]
    [TestCase("W/\"2\", \"2\"")]
    [TestCase("*")]
    public async Task If_Match_naming_the_current_ETag_lets_the_command_through(string ifMatch)
    {
        var (conversation, _, second) = await AssignedAtVersion2Async();

        using var response = await AssignAsync(conversation, second, ifMatch);

        (await ShouldBeOkAsync(response))["assignedOperatorId"]!.GetValue<string>().ShouldBe(second);
        response.Headers.ETag!.Tag.ShouldBe("\"3\"");
    }

    [TestCase("W/\"2\"")]
    [TestCase("W/\"7\", W/\"2\"")]
    [TestCase("\"02\"")]
    [TestCase("2")]
    public async Task If_Match_with_only_a_weak_or_inexact_form_of_the_current_ETag_is_412_and_changes_nothing(string ifMatch)
    {
        // RFC 9110: If-Match uses the strong comparison, so a weak tag never matches.
        var (conversation, first, second) = await AssignedAtVersion2Async();

        using var response = await AssignAsync(conversation, second, ifMatch);

        await ShouldBeErrorAsync(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        (await GetConversationJsonAsync(Org, conversation))["assignedOperatorId"]!.GetValue<string>().ShouldBe(first);
        (await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation))).Count.ShouldBe(2);
    }

    [Test]
    public async Task If_Match_on_a_conversation_of_another_organization_is_404_like_an_unknown_id()
    {
        var theirs = Id(await CreateConversationAsync(OtherOrg));
        var mine = Id(await CreateOperatorAsync(Org));

        using var response = await AssignAsync(theirs, mine, "\"1\"");

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
        (await GetConversationJsonAsync(OtherOrg, theirs))["assignedOperatorId"].ShouldBeNull();
    }

    /// <summary>A conversation assigned to <c>first</c> (so at version 2, ETag <c>"2"</c>), and a <c>second</c> operator to assign next.</summary>
    private async Task<(string Conversation, string First, string Second)> AssignedAtVersion2Async()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var first = Id(await CreateOperatorAsync(Org));
        var second = Id(await CreateOperatorAsync(Org));
        using (var assigned = await AssignAsync(conversation, first, null)) await ShouldBeOkAsync(assigned);
        return (conversation, first, second);
    }

    private Task<HttpResponseMessage> AssignAsync(string conversation, string operatorId, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversation}/assign")
        {
            Content = JsonContent.Create(new { operatorId }),
        };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Client.SendAsync(request);
    }

    /// <summary>A second API on the same database whose unit of work lets <paramref name="rival"/> commit first.</summary>
    private WebApplicationFactory<Program> HostWith(RivalWriter rival) => RivalFirstHost.Start(Factory, rival.BeforeSaveAsync);

    private HttpClient ClientOf(WebApplicationFactory<Program> host) => RivalFirstHost.ClientOf(host, Org.ApiKey);

    /// <summary>
    /// Another writer: commits a priority change to the conversation, in its own scope and
    /// transaction, right before each of the command's saves, as long as it has commits left.
    /// </summary>
    /// <summary>
    /// An endpoint subscribed to every event, so each save writes outbox rows too: a lost save
    /// (PostgreSQL: one batch without a transaction of ours, docs/adr/1100) must leave none.
    /// Nothing listens on its port; deliveries only have to be queued.
    /// </summary>
    private async Task SubscribeEndpointAsync() =>
        await PostAsync(Org, "/api/webhooks", new { url = $"http://receiver.test:{Loopback.FreePort()}/hook", events = new[] { "*" } }, HttpStatusCode.Created);

    protected override IReadOnlyDictionary<string, string?> Settings => Webhooks.WebhookTestBase.WebhookSettings(allowPrivateNetworks: true);

    private sealed class RivalWriter(Guid conversationId, int commits)
    {
        private int commitsLeft = commits;
        private int savesSeen;

        public int SavesSeen => savesSeen;

        public async Task BeforeSaveAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref savesSeen);
            if (Interlocked.Decrement(ref commitsLeft) < 0) return;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
            var id = new ConversationId(conversationId);
            var conversation = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == id, cancellationToken);
            var next = conversation.Priority == ConversationPriority.High ? ConversationPriority.Urgent : ConversationPriority.High;
            conversation.ChangePriority(next, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
