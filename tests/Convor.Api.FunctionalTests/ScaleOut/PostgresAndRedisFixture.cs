using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.ScaleOut;

/// <summary>A fixture with its own PostgreSQL database and its own throwaway Redis server.</summary>
[NonParallelizable]
public abstract class PostgresAndRedisFixture
{
    protected PostgresTestDatabase Database { get; private set; } = null!;

    protected RedisServer Redis { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        RedisServer.IgnoreUnlessAvailable();
        Database = await PostgresTestDatabase.CreateAsync();
        Redis = await RedisServer.StartNewAsync();
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        if (Redis is not null) await Redis.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
