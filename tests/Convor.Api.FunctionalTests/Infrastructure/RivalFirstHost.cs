using System.Net.Http.Headers;
using Convor.Application.Common.Abstractions;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// A second API on the fixture's database whose unit of work runs a rival writer (in its own
/// scope and transaction) right before each save of a command: a lost race on demand.
/// </summary>
public static class RivalFirstHost
{
    public static WebApplicationFactory<Program> Start(ConvorApiFactory factory, Func<IServiceScopeFactory, CancellationToken, Task> beforeEachSave) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddScoped<IUnitOfWork>(sp => new RivalFirstUnitOfWork(
                new UnitOfWork(sp.GetRequiredService<ConvorDbContext>()),
                sp.GetRequiredService<IServiceScopeFactory>(),
                beforeEachSave))));

    /// <summary>A client of <paramref name="host"/> that sends <paramref name="apiKey"/>.</summary>
    public static HttpClient ClientOf(WebApplicationFactory<Program> host, string apiKey)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private sealed class RivalFirstUnitOfWork(IUnitOfWork inner, IServiceScopeFactory scopes, Func<IServiceScopeFactory, CancellationToken, Task> rival) : IUnitOfWork
    {
        public async Task SaveChangesAsync(CancellationToken cancellationToken)
        {
            await rival(scopes, cancellationToken);
            await inner.SaveChangesAsync(cancellationToken);
        }

        public void DiscardChanges() => inner.DiscardChanges();
    }
}
