using Convor.Api.Http;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Convor.Api.Auth;
using Convor.Api.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Convor.Api.RateLimiting;

/// <summary>Configuration section <c>RateLimiting</c>: a fixed window per API key.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests one API key may make per window (per API instance; see docs/retries-and-limits.md).</summary>
    [Range(1, 10_000_000)]
    public int PermitLimit { get; set; } = 1000;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// One fixed-window limiter per API key (claim <c>convor:key</c>), in memory in this process,
/// so there are only as many partitions as valid keys in use. Requests without a valid key
/// are answered 401 without touching any key's budget; guessing keys is limited per client
/// address before the lookup (<see cref="FailedAuthentications"/>). Public paths (health, the
/// OpenAPI document) are never limited: an orchestrator must always be able to probe.
/// </summary>
internal sealed class ApiKeyRateLimiter : IDisposable
{
    public const string LimitHeader = "RateLimit-Limit";
    public const string RemainingHeader = "RateLimit-Remaining";

    private const string ExemptPartition = "exempt";

    public ApiKeyRateLimiter(IOptions<RateLimitingOptions> options)
    {
        Options = options.Value;
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = Options.PermitLimit,
            Window = TimeSpan.FromSeconds(Options.WindowSeconds),
            QueueLimit = 0, // answer 429 at once; a queued request would only hold a connection
            AutoReplenishment = true,
        };
        Limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsLimited(context)
            ? RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => window)
            : RateLimitPartition.GetNoLimiter(ExemptPartition));
    }

    public RateLimitingOptions Options { get; }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    public static bool IsLimited(HttpContext context) =>
        !PublicPaths.IsPublic(context.Request.Path) && KeyOf(context) is not null;

    private static string? KeyOf(HttpContext context) => context.User.FindFirst(ConvorClaims.KeyId)?.Value;

    internal static string PartitionKey(HttpContext context) => "key:" + KeyOf(context);

    /// <summary>Permits left in the caller's current window (after this request's own).</summary>
    public long Remaining(HttpContext context) => Limiter.GetStatistics(context)?.CurrentAvailablePermits ?? 0;

    public void Dispose() => Limiter.Dispose();
}

internal static class RateLimitingSetup
{
    public static IServiceCollection AddConvorRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>().Bind(configuration.GetSection(RateLimitingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ApiKeyRateLimiter>((options, limiter) =>
        {
            options.GlobalLimiter = limiter.Limiter;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => RejectAsync(context, limiter);
        });
        return services;
    }

    /// <summary>After authentication (the partition is the key), before authorization.</summary>
    public static IApplicationBuilder UseConvorRateLimiting(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<ApiKeyRateLimiter>();
        app.UseRateLimiter();
        // Every limited answer tells the client where it stands, whatever the outcome; set
        // when the response starts, because the exception handler clears headers set earlier.
        return app.Use((context, next) =>
        {
            if (ApiKeyRateLimiter.IsLimited(context))
            {
                var remaining = limiter.Remaining(context);
                context.Response.OnStarting(() =>
                {
                    SetHeaders(context.Response, limiter.Options.PermitLimit, remaining);
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, ApiKeyRateLimiter limiter)
    {
        var response = context.HttpContext.Response;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : TimeSpan.FromSeconds(limiter.Options.WindowSeconds);
        response.Headers.RetryAfter = ErrorResponses.RetryAfterSeconds(retryAfter);
        SetHeaders(response, limiter.Options.PermitLimit, 0);
        await ErrorResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests);
    }

    private static void SetHeaders(HttpResponse response, int limit, long remaining)
    {
        response.Headers[ApiKeyRateLimiter.LimitHeader] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[ApiKeyRateLimiter.RemainingHeader] = remaining.ToString(CultureInfo.InvariantCulture);
    }
}
