using System.Diagnostics;
using System.Globalization;
using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.ScaleOut;

/// <summary>
/// Three instances over one PostgreSQL database and one Redis server behave as one API: a key's
/// limit is the cluster's, and a key revoked with the admin command line is refused everywhere
/// at once. Limits use a window of an hour so that no window can roll over during a test.
/// </summary>
public sealed class SharedLimitsAndRevocationTests : PostgresAndRedisFixture
{
    private const int Limit = 5;

    [Test]
    public async Task A_key_gets_exactly_its_limit_across_three_instances_and_the_rest_429_with_retry_after()
    {
        await using var cluster = await StartClusterAsync(Limit, keyCacheSeconds: 5);
        var org = await cluster[0].CreateOrganizationAsync();
        var clients = Enumerable.Range(0, 3).Select(i => cluster.Client(i, org.ApiKey)).ToList();
        var path = $"/api/conversations/{Guid.NewGuid()}";

        var responses = await Task.WhenAll(Enumerable.Range(0, Limit * 3).Select(i => clients[i % 3].GetAsync(path)));

        responses.Count(r => r.StatusCode == HttpStatusCode.NotFound).ShouldBe(Limit);
        var limited = responses.Where(r => r.StatusCode != HttpStatusCode.NotFound).ToList();
        limited.Count.ShouldBe(Limit * 2);
        foreach (var response in limited)
        {
            await ApiTestBase.ShouldBeErrorAsync(response, (HttpStatusCode)429, "rate_limited");
            int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture).ShouldBeInRange(1, 3600);
        }
        // Every instance refuses now, including one that never counted a success itself.
        foreach (var client in clients)
            (await client.GetAsync(path)).StatusCode.ShouldBe((HttpStatusCode)429);
    }

    [Test]
    public async Task A_key_revoked_with_the_admin_command_line_is_refused_by_every_instance_within_a_second()
    {
        // A key cache of five minutes: only the broadcast can make the instances refuse in time.
        await using var cluster = await StartClusterAsync(permitLimit: 1000, keyCacheSeconds: 300);
        var org = await cluster[0].CreateOrganizationAsync();
        var key = await cluster[0].CreateKeyAsync(org.OrgId, Domain.ApiKeys.ApiKeyScopes.ConversationsRead);
        var clients = Enumerable.Range(0, 3).Select(i => cluster.Client(i, key.ApiKey)).ToList();
        var path = $"/api/conversations/{Guid.NewGuid()}";
        foreach (var client in clients) (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound); // cached as valid

        await AdminCommands.RunAsync(["keys", "revoke", "--key", key.KeyId!.Value.ToString()], cluster.AdminSettings);
        var revoked = Stopwatch.StartNew();

        // "Within a second" is about when a request is sent, not how long a busy machine takes to
        // answer it: an answer to a request sent later than a second after the command must be a
        // refusal. Each instance is asked until it refuses (bounded, so a broken broadcast fails
        // rather than hangs).
        var lastAcceptedSentAt = new TimeSpan?[clients.Count];
        var refused = new bool[clients.Count];
        while (refused.Any(r => !r) && revoked.Elapsed < TimeSpan.FromSeconds(15))
        {
            for (var i = 0; i < clients.Count; i++)
            {
                if (refused[i]) continue;
                var sentAt = revoked.Elapsed;
                using var response = await clients[i].GetAsync(path);
                if (response.StatusCode == HttpStatusCode.Unauthorized) refused[i] = true;
                else lastAcceptedSentAt[i] = sentAt;
            }
        }

        refused.ShouldAllBe(r => r, "every instance refuses the revoked key");
        lastAcceptedSentAt.ShouldAllBe(t => t == null || t <= TimeSpan.FromSeconds(1),
            "no instance accepts the revoked key in a request sent more than 1 s after the command");
        foreach (var client in clients)
            await ApiTestBase.ShouldBeErrorAsync(await client.GetAsync(path), HttpStatusCode.Unauthorized, "unauthorized");
        // The other keys of the organization are untouched.
        (await cluster.Client(1, org.ApiKey).GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_client_that_used_up_its_failed_authentications_on_one_instance_is_refused_by_another_after_one_more()
    {
        await using var cluster = await ApiCluster.StartAsync(Database, Redis, 2, new Dictionary<string, string?>
        {
            ["Auth:FailedAttempts:PermitLimit"] = "3",
            ["Auth:FailedAttempts:WindowSeconds"] = "3600",
        });
        var path = $"/api/conversations/{Guid.NewGuid()}";
        HttpClient Guessing(int instance) => cluster.Client(instance, "cvr_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));

        for (var i = 0; i < 3; i++) (await Guessing(0).GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Guessing(0).GetAsync(path)).StatusCode.ShouldBe((HttpStatusCode)429);

        // The other instance counted nothing itself: its first failure brings the cluster's count
        // (without the shared count it would allow three more guesses).
        (await Guessing(1).GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var refused = await Guessing(1).GetAsync(path);
        await ApiTestBase.ShouldBeErrorAsync(refused, (HttpStatusCode)429, "rate_limited");
        refused.Headers.Contains("Retry-After").ShouldBeTrue();
    }

    private Task<ApiCluster> StartClusterAsync(int permitLimit, int keyCacheSeconds) =>
        ApiCluster.StartAsync(Database, Redis, 3, new Dictionary<string, string?>
        {
            ["RateLimiting:PermitLimit"] = permitLimit.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:WindowSeconds"] = "3600",
            ["Auth:KeyCacheMilliseconds"] = (keyCacheSeconds * 1000).ToString(CultureInfo.InvariantCulture),
        });
}
