using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// The API on a PostgreSQL database of its own, with an EF interceptor added to every context
/// it rents: for tests that watch or break what the API sends to the database.
/// </summary>
public sealed class InterceptedPostgresHost : IAsyncDisposable
{
    private InterceptedPostgresHost(PostgresTestDatabase database, ConvorApiFactory factory, WebApplicationFactory<Program> host)
    {
        Database = database;
        Factory = factory;
        Host = host;
    }

    public PostgresTestDatabase Database { get; }

    /// <summary>The host without the interceptor (same database): for set-up and for reading back.</summary>
    public ConvorApiFactory Factory { get; }

    /// <summary>The host whose contexts carry the interceptor.</summary>
    public WebApplicationFactory<Program> Host { get; }

    public static async Task<InterceptedPostgresHost> StartAsync(IInterceptor interceptor, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var factory = new ConvorApiFactory(database, settings);
        var host = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<PostgresConvorDbContext>(options => options.AddInterceptors(interceptor))));
        return new InterceptedPostgresHost(database, factory, host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
