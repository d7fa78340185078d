using System.Net;
using System.Text;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Idempotency;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Api.FunctionalTests.Idempotency;

/// <summary>Keys whose first attempt failed, crashed or expired: a retry must run the command.</summary>
public sealed class IdempotencyFailureTests(string database) : ApiTestBase(database)
{
    [TestCase(typeof(TimeoutException), HttpStatusCode.ServiceUnavailable, "service_unavailable")]
    [TestCase(typeof(InvalidOperationException), HttpStatusCode.InternalServerError, "internal_error")]
    public async Task A_first_attempt_that_failed_on_our_side_is_not_the_answer_a_retry_gets(Type failure, HttpStatusCode status, string code)
    {
        var saves = new FailingSaves(failure);
        await using var failingApi = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(saves);
            services.AddScoped<IUnitOfWork>(sp => new FailingUnitOfWork(ActivatorUtilities.CreateInstance<UnitOfWork>(sp), saves));
        }));
        using var client = failingApi.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", Org.ApiKey);
        var key = "retry-" + Guid.NewGuid().ToString("N");

        saves.FailNext = true;
        using var failed = await client.SendAsync(Create(key));
        await ShouldBeErrorAsync(failed, status, code);
        failed.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        // What an error may reveal: the code and a fixed sentence, nothing of the exception.
        var text = await failed.Content.ReadAsStringAsync();
        text.ShouldNotContain("injected failure");
        text.ShouldNotContain("Exception");
        text.ShouldNotContain(" at ");

        using var retried = await client.SendAsync(Create(key));
        await ShouldBeOkAsync(retried, HttpStatusCode.Created);
        retried.Headers.Contains("Idempotency-Replayed").ShouldBeFalse();
        (await ConversationCountAsync()).ShouldBe(1);
    }

    [Test]
    public async Task A_claim_left_in_progress_by_a_crash_is_taken_over_by_the_same_request_after_the_timeout()
    {
        var (store, options) = Services();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var coordinator = new IdempotencyCoordinator(store, clock, options);
        var org = new OrganizationId(Org.OrgId);
        var crashed = await coordinator.BeginAsync(org, "k", "fingerprint", CancellationToken.None);
        crashed.Outcome.ShouldBe(IdempotencyOutcome.Proceed);

        (await coordinator.BeginAsync(org, "k", "fingerprint", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.InProgress);
        clock.Advance(options.InProgressTimeout);
        (await coordinator.BeginAsync(org, "k", "other fingerprint", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.KeyReused);
        var takeover = await coordinator.BeginAsync(org, "k", "fingerprint", CancellationToken.None);

        takeover.Outcome.ShouldBe(IdempotencyOutcome.Proceed);
        takeover.AttemptId.ShouldNotBe(crashed.AttemptId);
        // The crashed attempt, should it come back, can no longer complete the key.
        await coordinator.CompleteAsync(org, "k", crashed.AttemptId, new RecordedResponse(200, new Dictionary<string, string>(), "stale"), CancellationToken.None);
        (await store.FindAsync(org, "k", CancellationToken.None))!.Status.ShouldBe(IdempotencyStatus.InProgress);
    }

    [Test]
    public async Task An_expired_key_is_free_for_any_request()
    {
        var (store, options) = Services();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var coordinator = new IdempotencyCoordinator(store, clock, options);
        var org = new OrganizationId(Org.OrgId);
        var first = await coordinator.BeginAsync(org, "k", "first", CancellationToken.None);
        await coordinator.CompleteAsync(org, "k", first.AttemptId, new RecordedResponse(201, new Dictionary<string, string>(), "{}"), CancellationToken.None);

        clock.Advance(options.Retention - TimeSpan.FromSeconds(1));
        (await coordinator.BeginAsync(org, "k", "first", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Replay);
        (await coordinator.BeginAsync(org, "k", "second", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.KeyReused);
        clock.Advance(TimeSpan.FromSeconds(1));

        (await coordinator.BeginAsync(org, "k", "second", CancellationToken.None)).Outcome.ShouldBe(IdempotencyOutcome.Proceed);
    }

    [Test]
    public async Task Purging_deletes_every_expired_key_in_batches_and_keeps_the_live_ones()
    {
        var store = Store;
        var now = DateTimeOffset.UtcNow;
        var org = new OrganizationId(Org.OrgId);
        for (var i = 0; i < 5; i++)
            (await store.TryClaimAsync(new IdempotencyClaim(org, $"old-{i}", "f", Guid.NewGuid(), now.AddDays(-2), now.AddDays(-1)), CancellationToken.None)).ShouldBeTrue();
        (await store.TryClaimAsync(new IdempotencyClaim(org, "live", "f", Guid.NewGuid(), now, now.AddDays(1)), CancellationToken.None)).ShouldBeTrue();
        var coordinator = new IdempotencyCoordinator(store, new FakeTimeProvider(now), new IdempotencyOptions { PurgeBatchSize = 2 });

        var purged = await coordinator.PurgeExpiredAsync(CancellationToken.None);

        purged.ShouldBe(5);
        (await RemainingKeysAsync()).ShouldBe(["live"]);
    }

    [Test]
    public async Task A_client_that_leaves_after_the_save_leaves_a_complete_answer_for_its_retry()
    {
        await using var abortingApi = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddScoped<IUnitOfWork>(sp => new AbortingUnitOfWork(
                ActivatorUtilities.CreateInstance<UnitOfWork>(sp), sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>()))));
        using var client = abortingApi.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", Org.ApiKey);
        var key = "abort-" + Guid.NewGuid().ToString("N");

        using (var aborted = Create(key))
        {
            aborted.Headers.Add(AbortingUnitOfWork.Header, "1");
            await Should.ThrowAsync<Exception>(() => client.SendAsync(aborted));
        }
        // The server goes on after the client left; wait until it has finished with the key.
        var org = new OrganizationId(Org.OrgId);
        for (var i = 0; i < 200 && (await Store.FindAsync(org, key, CancellationToken.None))?.Status != IdempotencyStatus.Completed; i++)
            await Task.Delay(50);

        using var retried = await client.SendAsync(Create(key));
        var replayed = await ShouldBeOkAsync(retried, HttpStatusCode.Created);
        retried.Headers.GetValues("Idempotency-Replayed").Single().ShouldBe("true");
        replayed["channel"]!.GetValue<string>().ShouldBe("email");
        replayed.Count.ShouldBe(15);
        (await ConversationCountAsync()).ShouldBe(1);
    }

    /// <summary>Aborts the connection right after the save committed, as a client that gives up at that moment.</summary>
    private sealed class AbortingUnitOfWork(IUnitOfWork inner, Microsoft.AspNetCore.Http.IHttpContextAccessor accessor) : IUnitOfWork
    {
        public const string Header = "X-Test-Abort-After-Save";

        public async Task SaveChangesAsync(CancellationToken cancellationToken)
        {
            await inner.SaveChangesAsync(cancellationToken);
            if (accessor.HttpContext is { } context && context.Request.Headers.ContainsKey(Header)) context.Abort();
        }

        public void DiscardChanges() => inner.DiscardChanges();
    }

    private IIdempotencyStore Store => Factory.Services.GetRequiredService<IIdempotencyStore>();

    private (IIdempotencyStore Store, IdempotencyOptions Options) Services() =>
        (Store, Factory.Services.GetRequiredService<IdempotencyOptions>());

    private static HttpRequestMessage Create(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = new StringContent("""{"channel":"email"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<int> ConversationCountAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var org = new OrganizationId(Org.OrgId);
        return await scope.ServiceProvider.GetRequiredService<ConvorDbContext>().Conversations.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == org);
    }

    private async Task<List<string>> RemainingKeysAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var org = new OrganizationId(Org.OrgId);
        return await scope.ServiceProvider.GetRequiredService<ConvorDbContext>().Set<Convor.Infrastructure.Idempotency.IdempotencyRecord>()
            .Where(r => r.OrganizationId == org).Select(r => r.Key).ToListAsync();
    }

    /// <summary>Makes the next save fail the way a database outage (503) or a bug (500) does.</summary>
    private sealed class FailingSaves(Type failure)
    {
        public volatile bool FailNext;

        public void ThrowIfFailing()
        {
            if (!FailNext) return;
            FailNext = false;
            throw (Exception)Activator.CreateInstance(failure, "injected failure")!;
        }
    }

    private sealed class FailingUnitOfWork(IUnitOfWork inner, FailingSaves saves) : IUnitOfWork
    {
        public Task SaveChangesAsync(CancellationToken cancellationToken)
        {
            saves.ThrowIfFailing();
            return inner.SaveChangesAsync(cancellationToken);
        }

        public void DiscardChanges() => inner.DiscardChanges();
    }
}
