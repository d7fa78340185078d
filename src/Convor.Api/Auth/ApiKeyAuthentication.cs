using Convor.Api.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Convor.Api.Errors;
using Convor.Application.Common.Abstractions;
using Convor.Domain.ApiKeys;
using Convor.Domain.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Convor.Api.Auth;

public static class ConvorClaims
{
    public const string OrganizationId = "convor:org";
    public const string KeyId = "convor:key";
    public const string Scope = "scope";
}

/// <summary>
/// <c>Authorization: Bearer cvr_…</c> → the key's organization, id and scopes. Missing,
/// malformed, unknown and revoked keys all answer the same 401, so nothing can be learned
/// about which keys exist. The secret is never logged. Public paths (health, OpenAPI) are
/// never authenticated, and a client address that failed too often is answered 429 before
/// its next key is even hashed (<see cref="FailedAuthentications"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyAuthenticator authenticator,
    FailedAuthentications failures,
    Application.Common.Telemetry.ConvorMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string RetryAfterItem = "Convor.FailedAuthentications.RetryAfter";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0 || PublicPaths.IsPublic(Request.Path)) return AuthenticateResult.NoResult();

        if (failures.IsBlocked(Context, out var retryAfter))
        {
            Context.Items[RetryAfterItem] = retryAfter;
            return AuthenticateResult.Fail("Too many failed authentications from this client.");
        }

        var result = await AuthenticateHeaderAsync(header);
        if (!result.Succeeded) await failures.RecordFailureAsync(Context, Context.RequestAborted);
        return result;
    }

    private async Task<AuthenticateResult> AuthenticateHeaderAsync(Microsoft.Extensions.Primitives.StringValues header)
    {
        if (header.Count > 1) return AuthenticateResult.Fail("Several Authorization headers.");

        var value = header[0] ?? string.Empty;
        const string prefix = "Bearer ";
        if (!value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("Not a bearer token.");

        var key = await authenticator.AuthenticateAsync(value[prefix.Length..].Trim(), Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("Unknown or revoked API key.");

        var claims = new List<Claim>(2 + key.Scopes.Count)
        {
            new(ConvorClaims.OrganizationId, key.OrganizationId.Value.ToString("D")),
            new(ConvorClaims.KeyId, key.KeyId.Value.ToString("D")),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ConvorClaims.Scope, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RetryAfterItem] is TimeSpan retryAfter)
        {
            metrics.RateLimitRejected(Application.Common.Telemetry.ConvorMetrics.ClientAddressPartition);
            Response.Headers.RetryAfter = ErrorResponses.RetryAfterSeconds(retryAfter);
            await ErrorResponses.WriteAsync(Context, ErrorResponses.ForStatus(StatusCodes.Status429TooManyRequests) with
            {
                Message = "Too many failed authentications from this client; retry after the time in Retry-After.",
            });
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await ErrorResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await ErrorResponses.WriteAsync(Context, StatusCodes.Status403Forbidden);
    }
}

public static class AuthorizationSetup
{
    public static IServiceCollection AddConvorAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddScopePolicies();
        services.AddOptions<FailedAuthenticationOptions>().BindConfiguration(FailedAuthenticationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailedAuthentications>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentCaller, HttpCurrentCaller>();
        return services;
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        // One policy per scope, named as the scope: [Authorize(Policy = ApiKeyScopes.ConversationsWrite)].
        foreach (var scope in ApiKeyScopes.All)
            builder.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireClaim(ConvorClaims.Scope, scope));
        return builder;
    }
}
