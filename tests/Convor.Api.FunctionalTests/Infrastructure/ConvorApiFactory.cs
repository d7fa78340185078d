using Convor.Infrastructure.Administration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// The real API in process, on a real database, in the <c>Testing</c> environment (no demo data).
/// <paramref name="settings"/> overrides configuration, e.g. a short key cache;
/// <paramref name="replaceServices"/> replaces services after the API registered its own, e.g. a fake clock.
/// </summary>
public sealed class ConvorApiFactory(
    TestDatabase database,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? replaceServices = null)
    : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("ConnectionStrings:Convor", Database.ConnectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        // Every test host resolves webhook hosts from a fixed table and connects to loopback only,
        // so that no test, whatever endpoint URL it saves, sends a DNS query or opens a socket
        // off this machine. Webhook tests replace these with instances they can inspect.
        builder.ConfigureTestServices(services => Webhooks.WebhookTestBase.UseTestNetwork(services, new Webhooks.FakeWebhookResolver(), new Webhooks.LoopbackOnlySocketOpener()));
        if (replaceServices is not null) builder.ConfigureTestServices(replaceServices);
    }

    /// <summary>A new organization and an API key with the given scopes (all when none).</summary>
    public async Task<TestOrganization> CreateOrganizationAsync(string name = "Test Org", params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<AdminService>();
        var organization = await admin.CreateOrganizationAsync(name, CancellationToken.None);
        if (scopes.Length == 0) return new TestOrganization(organization.OrgId, organization.ApiKey, this);
        var key = await admin.CreateKeyAsync(organization.OrgId, scopes, CancellationToken.None);
        return new TestOrganization(organization.OrgId, key.ApiKey, this);
    }

    public async Task<TestOrganization> CreateKeyAsync(Guid orgId, params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<AdminService>().CreateKeyAsync(orgId, scopes, CancellationToken.None);
        return new TestOrganization(orgId, key.ApiKey, this, key.KeyId);
    }

    public async Task RevokeKeyAsync(Guid keyId)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AdminService>().RevokeKeyAsync(keyId, CancellationToken.None);
    }
}

/// <summary>An organization of the test, with an HTTP client that sends its key.</summary>
public sealed class TestOrganization(Guid orgId, string apiKey, ConvorApiFactory factory, Guid? keyId = null)
{
    public Guid OrgId { get; } = orgId;
    public string ApiKey { get; } = apiKey;
    public Guid? KeyId { get; } = keyId;

    public HttpClient Client { get; } = CreateClient(factory, apiKey);

    private static HttpClient CreateClient(ConvorApiFactory factory, string apiKey)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
