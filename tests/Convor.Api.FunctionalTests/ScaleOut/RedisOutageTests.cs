using System.Globalization;
using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.ScaleOut;

/// <summary>
/// Redis is optional at run time too: killed mid-test, every instance keeps serving with limits
/// of its own; started again, the instances find it by themselves and the limit is the
/// cluster's again. This fixture owns its Redis server, so the outage touches no other test.
/// </summary>
public sealed class RedisOutageTests : PostgresAndRedisFixture
{
    private const int Limit = 3;

    [Test]
    public async Task Redis_stopped_keeps_requests_served_with_per_instance_limits_and_restarted_makes_them_global_again()
    {
        await using var cluster = await ApiCluster.StartAsync(Database, Redis, 2, new Dictionary<string, string?>
        {
            ["RateLimiting:PermitLimit"] = Limit.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:WindowSeconds"] = "3600",
        });
        var org = await cluster[0].CreateOrganizationAsync();

        // Shared: the two instances together give the key its limit once.
        var before = await cluster[0].CreateKeyAsync(org.OrgId);
        (await SuccessesAsync(cluster, before.ApiKey, perInstance: Limit)).ShouldBe([Limit, 0]);
        cluster.IsFallingBack(0).ShouldBeFalse();

        await Redis.StopAsync();

        // Served, and limited per instance: each instance gives the key its own limit.
        var during = await cluster[0].CreateKeyAsync(org.OrgId);
        (await SuccessesAsync(cluster, during.ApiKey, perInstance: Limit + 1)).ShouldBe([Limit, Limit]);
        cluster.IsFallingBack(0).ShouldBeTrue();
        cluster.IsFallingBack(1).ShouldBeTrue();

        await Redis.StartAsync();
        await Loopback.WaitUntilAsync(() => Task.FromResult(!cluster.IsFallingBack(0) && !cluster.IsFallingBack(1)), TimeSpan.FromSeconds(30), "both instances use Redis again");

        var after = await cluster[0].CreateKeyAsync(org.OrgId);
        (await SuccessesAsync(cluster, after.ApiKey, perInstance: Limit)).ShouldBe([Limit, 0]);
    }

    /// <summary>Sends <paramref name="perInstance"/> requests to each instance in turn (instance 0 first); counts the answers that were not 429.</summary>
    private static async Task<int[]> SuccessesAsync(ApiCluster cluster, string apiKey, int perInstance)
    {
        var path = $"/api/conversations/{Guid.NewGuid()}";
        var successes = new int[cluster.Instances.Count];
        for (var i = 0; i < cluster.Instances.Count; i++)
        {
            using var client = cluster.Client(i, apiKey);
            for (var n = 0; n < perInstance; n++)
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.NotFound) successes[i]++;
                else await ApiTestBase.ShouldBeErrorAsync(response, (HttpStatusCode)429, "rate_limited");
            }
        }
        return successes;
    }
}
