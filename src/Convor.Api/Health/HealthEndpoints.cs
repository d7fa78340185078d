using Convor.Domain.Common;
using System.Globalization;
using Convor.Api.Errors;
using Convor.Api.Http;
using Convor.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Convor.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (never touches the database, so an orchestrator
/// does not restart a healthy process because the database is away).
/// <c>/health/ready</c>: the database answers; unhealthy is 503 with the envelope and Retry-After.
/// Neither needs a key.
/// </summary>
internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddConvorHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static void MapConvorHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(PublicPaths.Health + "/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteAsync,
        }).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapHealthChecks(PublicPaths.Health + "/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Unhealthy)
        {
            context.Response.Headers.RetryAfter = ExceptionMapper.ServiceUnavailableRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return ErrorResponses.WriteAsync(context, ErrorResponses.ForStatus(StatusCodes.Status503ServiceUnavailable) with
            {
                Message = "The database cannot be reached or its schema is not migrated yet; retry after the time in Retry-After.",
            });
        }
        context.Response.ContentType = ErrorResponses.JsonContentType;
        return context.Response.WriteAsync("{\"status\":\"healthy\"}");
    }
}

/// <summary>
/// Ready means the database answers a query within the command timeout and has every
/// migration this build needs (with <c>Database:MigrateOnStartup=false</c> an instance may
/// start before the schema is migrated out of band: it takes no traffic until then).
/// </summary>
internal sealed class DatabaseHealthCheck(ConvorDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Reading the migrations history is a real round trip: a pooled connection opens
            // without touching the server, so opening one proves nothing about a hung server.
            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            return pending.Any()
                ? HealthCheckResult.Unhealthy("The database schema is missing migrations of this version.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception) || exception is System.Data.Common.DbException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}
