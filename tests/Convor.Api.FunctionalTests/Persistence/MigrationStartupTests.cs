using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Persistence;

/// <summary>How the schema gets there: at start (default), or out of band with <c>Database:MigrateOnStartup=false</c>.</summary>
public sealed class MigrationStartupTests
{
    [TestCase(TestDatabases.Sqlite)]
    [TestCase(TestDatabases.Postgres)]
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_come_up(string provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider);
        await using var first = new ConvorApiFactory(database);
        await using var second = new ConvorApiFactory(database);

        // Both apply migrations at the same moment; EF Core's migration lock lets one do it.
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        foreach (var factory in new[] { first, second })
        {
            using var client = factory.CreateClient();
            using var ready = await client.GetAsync("/health/ready");
            ready.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await factory.CreateOrganizationAsync()).OrgId.ShouldNotBe(Guid.Empty);
        }
    }

    [TestCase(TestDatabases.Sqlite)]
    [TestCase(TestDatabases.Postgres)]
    public async Task Without_migrate_on_startup_the_api_is_not_ready_until_the_schema_is_migrated_out_of_band(string provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider);
        var outOfBand = new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" };
        await using var api = new ConvorApiFactory(database, outOfBand);
        using var client = api.CreateClient();

        using (var before = await client.GetAsync("/health/ready"))
            await ApiFixture.ShouldBeErrorAsync(before, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        using (var live = await client.GetAsync("/health/live"))
            live.StatusCode.ShouldBe(HttpStatusCode.OK);

        // What `dotnet ef database update`, a migration bundle or any admin command does.
        await using (var scope = api.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);

        using var after = await client.GetAsync("/health/ready");
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
