using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Models;
using Convor.Infrastructure.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Convor.Api.FunctionalTests.Security;

/// <summary>The threats of docs/security.md about keys and what the API gives away.</summary>
public sealed class SecretsTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task Api_keys_and_request_bodies_never_reach_the_logs_at_any_level()
    {
        var logs = new CapturingLoggerProvider();
        await using var api = Factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(logs);
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        }));
        var revoked = await Factory.CreateKeyAsync(Org.OrgId, Domain.ApiKeys.ApiKeyScopes.ConversationsRead);
        await Factory.RevokeKeyAsync(revoked.KeyId!.Value);
        var unknown = ApiKeySecret.Generate();
        const string bodyMarker = "body-marker-3f9c";
        var conversation = Id(await CreateConversationAsync(Org));

        foreach (var key in new[] { Org.ApiKey, revoked.ApiKey, unknown, "cvr_short", "not-even-a-key" })
        {
            using var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
            (await client.GetAsync($"/api/conversations/{Guid.NewGuid()}")).Dispose();
            (await client.PostAsync("/api/conversations", Json($"{{\"channel\":\"widget\",\"metadata\":{{\"m\":\"{bodyMarker}\"}}}}"))).Dispose();
            (await client.PostAsync("/api/conversations", Json($"{{\"channel\":\"nope\",\"metadata\":{{\"m\":\"{bodyMarker}\"}}}}"))).Dispose();
            // Message text is personal data: neither a stored message nor a refused one is logged.
            (await client.PostAsync($"/api/conversations/{conversation}/messages", Json($"{{\"author\":\"visitor\",\"body\":\"{bodyMarker}\"}}"))).Dispose();
            (await client.PostAsync($"/api/conversations/{conversation}/messages", Json($"{{\"author\":\"robot\",\"body\":\"{bodyMarker}\\u0000\"}}"))).Dispose();
        }

        logs.Lines.ShouldNotBeEmpty();
        string[] secrets = [Org.ApiKey, revoked.ApiKey, unknown, ApiKeySecret.Hash(Org.ApiKey), ApiKeySecret.Hash(unknown), bodyMarker];
        foreach (var secret in secrets)
            logs.Lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Test]
    public void Every_body_the_api_binds_prints_as_its_type_name_only()
    {
        // Enumerated from the running API, so a body added later is checked without being listed.
        var bodies = Factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .SelectMany(a => a.Parameters)
            .Where(p => p.BindingInfo?.BindingSource == BindingSource.Body)
            .Select(p => Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType)
            .Distinct()
            .ToList();

        bodies.ShouldNotBeEmpty();
        foreach (var type in bodies)
        {
            typeof(RequestBody).IsAssignableFrom(type).ShouldBeTrue($"{type.Name} must derive from {nameof(RequestBody)}, so that logs never print its members.");
            Activator.CreateInstance(type)!.ToString().ShouldBe(type.Name);
        }
    }

    [Test]
    public async Task The_database_holds_a_sha256_hash_of_each_key_and_never_the_key()
    {
        var rows = await OrganizationSnapshot.TakeAsync(Factory, Org.OrgId);

        rows.ShouldNotContain(Org.ApiKey);
        rows.ShouldNotContain(Org.ApiKey["cvr_".Length..]);
        rows.ShouldContain(ApiKeySecret.Hash(Org.ApiKey));
        ApiKeySecret.Hash(Org.ApiKey).ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Org.ApiKey))));
    }

    [Test]
    public void Keys_are_cvr_and_256_random_bits_in_base64url()
    {
        var keys = Enumerable.Range(0, 2000).Select(_ => ApiKeySecret.Generate()).ToList();

        keys.ShouldAllBe(k => System.Text.RegularExpressions.Regex.IsMatch(k, "^cvr_[A-Za-z0-9_-]{43}$"));
        keys.Distinct(StringComparer.Ordinal).Count().ShouldBe(keys.Count);
        // 43 base64url characters carry 258 bits, the last one only 4 of its 6: 32 random bytes.
        Convert.FromBase64String(keys[0][4..].Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32);
    }

    [Test]
    public async Task Missing_malformed_unknown_and_revoked_keys_get_one_and_the_same_answer()
    {
        var revoked = await Factory.CreateKeyAsync(Org.OrgId, Domain.ApiKeys.ApiKeyScopes.ConversationsRead);
        await Factory.RevokeKeyAsync(revoked.KeyId!.Value);
        string?[] authorizations = [null, "Basic abc", "Bearer", "Bearer cvr_short", "Bearer " + ApiKeySecret.Generate(), "Bearer " + revoked.ApiKey];
        var answers = new List<string>();

        foreach (var authorization in authorizations)
        {
            using var client = Factory.CreateClient();
            if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.GetAsync($"/api/conversations/{Guid.NewGuid()}");
            var error = await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
            response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            answers.Add(error["message"]!.GetValue<string>());
        }

        answers.Distinct().Count().ShouldBe(1);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {state} {exception}");
        }
    }
}
