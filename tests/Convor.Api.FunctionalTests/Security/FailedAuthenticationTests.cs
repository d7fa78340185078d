using System.Net;
using Convor.Api.Auth;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Infrastructure.ApiKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Security;

/// <summary>
/// Guessing keys costs a hash and a database query per guess, so failures are limited per
/// client address before the lookup, in a store that stays bounded; and health endpoints
/// never authenticate at all. The test server has no client address, so each request names
/// its own in <see cref="ClientAddressHeader"/>.
/// </summary>
public sealed class FailedAuthenticationTests(string database) : ApiTestBase(database)
{
    private const string ClientAddressHeader = "X-Test-Client-Address";
    private const int Limit = 3;
    private const int MaxClients = 50;
    private readonly CountingAuthenticator.Counter lookups = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:FailedAttempts:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth:FailedAttempts:WindowSeconds"] = "3600",
        ["Auth:FailedAttempts:MaxClients"] = MaxClients.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void ReplaceServices(IServiceCollection services)
    {
        services.AddSingleton(lookups);
        services.AddScoped<IApiKeyAuthenticator>(sp => new CountingAuthenticator(ActivatorUtilities.CreateInstance<ApiKeyAuthenticator>(sp), lookups));
        services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
    }

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task A_bearer_header_on_a_health_endpoint_causes_no_key_lookup(string path)
    {
        var before = lookups.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", UnknownKey());

        using var response = await Factory.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        lookups.Count.ShouldBe(before);
    }

    [Test]
    public async Task Failed_authentications_are_rate_limited_per_client_address_before_the_lookup()
    {
        var guesser = RandomAddress();
        for (var i = 0; i < Limit; i++)
        {
            using var refused = await SendAsync(guesser, UnknownKey());
            await ShouldBeErrorAsync(refused, HttpStatusCode.Unauthorized, "unauthorized");
        }
        var lookupsSoFar = lookups.Count;

        using var limited = await SendAsync(guesser, UnknownKey());
        await ShouldBeErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        lookups.Count.ShouldBe(lookupsSoFar);

        // Another address, and a valid key, are not held back by the guesser.
        using var other = await SendAsync(RandomAddress(), Org.ApiKey);
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task Under_random_addresses_the_store_stays_bounded_and_still_limits()
    {
        var failures = Factory.Services.GetRequiredService<FailedAuthentications>();
        HttpStatusCode last = default;
        for (var i = 0; i < MaxClients * 3; i++)
        {
            using var response = await SendAsync(RandomAddress(), UnknownKey());
            last = response.StatusCode;
            failures.TrackedClients.ShouldBeLessThanOrEqualTo(MaxClients);
        }

        // Addresses beyond the bound share one window, so the flood as a whole is limited.
        last.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private Task<HttpResponseMessage> SendAsync(string address, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/conversations");
        request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add(ClientAddressHeader, address);
        return Factory.CreateClient().SendAsync(request);
    }

    private static string UnknownKey() => ApiKeySecret.Generate();

    private static string RandomAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private sealed class CountingAuthenticator(IApiKeyAuthenticator inner, CountingAuthenticator.Counter counter) : IApiKeyAuthenticator
    {
        public sealed class Counter
        {
            private int count;
            public int Count => Volatile.Read(ref count);
            public void Add() => Interlocked.Increment(ref count);
        }

        public ValueTask<AuthenticatedKey?> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken)
        {
            counter.Add();
            return inner.AuthenticateAsync(presentedSecret, cancellationToken);
        }
    }

    /// <summary>Gives each test request the client address it names, first thing in the pipeline.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var address))
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
