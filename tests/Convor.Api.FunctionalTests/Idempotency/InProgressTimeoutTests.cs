using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Api.Idempotency;
using Convor.Application.Common.Idempotency;
using Convor.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Convor.Api.FunctionalTests.Idempotency;

/// <summary>
/// A take-over must never run a command beside its still-running first attempt: the
/// in-progress timeout is above the longest one command can run under the database settings.
/// Settings only, so one SQLite fixture is enough.
/// </summary>
public sealed class InProgressTimeoutTests
{
    [Test]
    public async Task The_shipped_default_is_above_the_longest_command_under_the_shipped_database_settings()
    {
        await using var factory = new ConvorApiFactory(new SqliteTestDatabase());
        try
        {
            var idempotency = factory.Services.GetRequiredService<IOptions<IdempotencyOptions>>().Value;
            var database = factory.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            database.MaxRetryCount.ShouldBe(3);
            database.CommandTimeoutSeconds.ShouldBe(15);

            // Whatever the provider: PostgreSQL and SQL Server retry, SQLite does not.
            var longest = InProgressTimeout.LongestCommandSeconds(new DatabaseOptions { Provider = DatabaseProvider.Postgres });
            longest.ShouldBe(4 * 4 * 2 * 15);
            idempotency.InProgressTimeoutSeconds!.Value.ShouldBeGreaterThan(InProgressTimeout.LongestCommandSeconds(database));
            InProgressTimeout.DefaultSeconds(new DatabaseOptions { Provider = DatabaseProvider.Postgres }).ShouldBeGreaterThan(longest);
        }
        finally
        {
            await factory.Database.DisposeAsync();
        }
    }

    [Test]
    public async Task A_configured_timeout_not_above_the_longest_command_stops_the_start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Idempotency:InProgressTimeoutSeconds"] = "60",
            ["Database:CommandTimeoutSeconds"] = "15",
        };
        await using var factory = new ConvorApiFactory(new SqliteTestDatabase(), settings);
        try
        {
            var failure = Should.Throw<OptionsValidationException>(() => _ = factory.Server);
            failure.Message.ShouldContain("Idempotency:InProgressTimeoutSeconds (60) must be above");
        }
        finally
        {
            await factory.Database.DisposeAsync();
        }
    }
}
