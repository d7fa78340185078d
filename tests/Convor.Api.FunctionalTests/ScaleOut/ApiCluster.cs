using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Infrastructure.Redis;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.ScaleOut;

/// <summary>
/// Several API instances (in-process hosts, each with its own caches, limiters and Redis
/// connection) over one PostgreSQL database and one Redis server, like instances behind a load
/// balancer. Every cluster gets its own Redis key prefix, so clusters on one server never share
/// counters or revocation messages.
/// </summary>
public sealed class ApiCluster : IAsyncDisposable
{
    private ApiCluster(PostgresTestDatabase database, RedisServer redis, IReadOnlyList<ConvorApiFactory> instances, string keyPrefix)
    {
        Database = database;
        Redis = redis;
        Instances = instances;
        KeyPrefix = keyPrefix;
    }

    public PostgresTestDatabase Database { get; }

    public RedisServer Redis { get; }

    public IReadOnlyList<ConvorApiFactory> Instances { get; }

    public string KeyPrefix { get; }

    public ConvorApiFactory this[int index] => Instances[index];

    /// <summary>Starts <paramref name="count"/> instances one after the other (the first migrates the database).</summary>
    public static Task<ApiCluster> StartAsync(PostgresTestDatabase database, RedisServer redis, int count, IReadOnlyDictionary<string, string?> settings)
    {
        var keyPrefix = "t" + Guid.NewGuid().ToString("N")[..12] + ":";
        var all = new Dictionary<string, string?>(settings)
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["Redis:KeyPrefix"] = keyPrefix,
        };
        var instances = new List<ConvorApiFactory>();
        for (var i = 0; i < count; i++)
        {
            var instance = new ConvorApiFactory(database, all);
            _ = instance.Server; // start now: migrations and the Redis subscription happen here
            instances.Add(instance);
        }
        return Task.FromResult(new ApiCluster(database, redis, instances, keyPrefix));
    }

    /// <summary>A client of instance <paramref name="index"/> that sends <paramref name="apiKey"/>.</summary>
    public HttpClient Client(int index, string apiKey)
    {
        var client = Instances[index].CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Whether instance <paramref name="index"/> currently limits on its own because Redis is away.</summary>
    public bool IsFallingBack(int index) => Instances[index].Services.GetRequiredService<RedisConnection>().IsFallingBack;

    /// <summary>The settings the admin command line needs to reach this cluster's database and Redis.</summary>
    public string[] AdminSettings =>
    [
        $"--Database:Provider={Database.Provider}",
        $"--ConnectionStrings:Convor={Database.ConnectionString}",
        $"--Redis:Configuration={Redis.Configuration}",
        $"--Redis:KeyPrefix={KeyPrefix}",
    ];

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances) await instance.DisposeAsync();
    }
}
