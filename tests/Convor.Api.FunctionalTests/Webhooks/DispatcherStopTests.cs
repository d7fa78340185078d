using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>
/// A claim is two statements (the UPDATE that stamps the leases, the SELECT that reads them
/// back). A stop that lands between them must not leave rows leased by nobody: they would hold
/// their endpoint's deliveries back for <c>Webhooks:LeaseSeconds</c> (two minutes) after a
/// restart. The dispatcher is run by the test, and its stop is requested exactly there.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Names))]
public sealed partial class DispatcherStopTests(string databaseName)
{
    [Test]
    public async Task A_stop_between_a_claims_update_and_its_read_gives_every_claimed_delivery_back()
    {
        await using var database = await TestDatabases.CreateAsync(databaseName);
        var stopAfterClaim = new StopAfterClaim();
        var settings = new Dictionary<string, string?>(WebhookTestBase.WebhookSettings(allowPrivateNetworks: true))
        {
            ["Webhooks:DispatcherEnabled"] = "false", // this test runs the dispatcher itself
        };
        await using var api = new ConvorApiFactory(database, settings, services =>
        {
            services.ConfigureDbContext<SqliteConvorDbContext>(options => options.AddInterceptors(stopAfterClaim));
            services.ConfigureDbContext<PostgresConvorDbContext>(options => options.AddInterceptors(stopAfterClaim));
            services.ConfigureDbContext<SqlServerConvorDbContext>(options => options.AddInterceptors(stopAfterClaim));
        });
        var org = await api.CreateOrganizationAsync();
        // A closed loopback port: nothing is sent in this test anyway.
        using (var endpoint = await org.Client.PostAsJsonAsync("/api/webhooks", new { url = $"http://127.0.0.1:{Loopback.FreePort()}/hook", events = new[] { "*" } }))
            endpoint.StatusCode.ShouldBe(HttpStatusCode.Created);
        for (var i = 0; i < 3; i++)
            using (var created = await org.Client.PostAsJsonAsync("/api/conversations", new { channel = "api" }))
                created.StatusCode.ShouldBe(HttpStatusCode.Created);

        using var stopping = new CancellationTokenSource();
        stopAfterClaim.Stop = stopping;
        var run = api.Services.GetRequiredService<WebhookDispatcher>().RunAsync(stopping.Token);
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // How a stop may end the run; what counts is what it left in the database.
        }

        stopAfterClaim.Claims.ShouldBe(1, "the stop was requested between the first claim's UPDATE and its read");
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var deliveries = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().ToListAsync();
        deliveries.Count.ShouldBe(3);
        deliveries.ShouldAllBe(d => d.LeaseToken == null && d.LeaseUntil == null, "a delivery claimed by the stopping dispatcher was not given back");
        deliveries.ShouldAllBe(d => d.Attempts == 0);
    }

    /// <summary>
    /// Cancels <see cref="Stop"/> when the claim reads back the rows its UPDATE stamped (where that
    /// UPDATE is EF's or the store's own command, the read is always EF's): the stop lands after
    /// the leases are written and before the dispatcher knows them.
    /// </summary>
    private sealed partial class StopAfterClaim : DbCommandInterceptor
    {
        public CancellationTokenSource? Stop { get; set; }
        public int Claims;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Stop is { IsCancellationRequested: false } stop && ClaimRead().IsMatch(command.CommandText))
            {
                Interlocked.Increment(ref Claims);
                stop.Cancel();
            }
            return ValueTask.FromResult(result);
        }

        [System.Text.RegularExpressions.GeneratedRegex("""^\s*SELECT[\s\S]*LeaseToken["\]]? = @""")]
        private static partial System.Text.RegularExpressions.Regex ClaimRead();
    }
}
