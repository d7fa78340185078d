using Convor.Api.Http;
using Convor.Api.Auth;
using Convor.Api.Background;
using Convor.Api.Errors;
using Convor.Api.Health;
using Convor.Api.Idempotency;
using Convor.Api.OpenApi;
using Convor.Api.RateLimiting;
using Convor.Application;
using Convor.Application.Common.Serialization;
using Convor.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Convor.Api;

/// <summary>Composition of the HTTP API: services, then the middleware pipeline, in order.</summary>
public static class ConvorApi
{
    /// <summary>Largest request body accepted; larger is 413 <c>payload_too_large</c>.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings*.json sit next to the binaries, whichever directory we are started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureServices(builder);
        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });

        services.AddApplication();
        services.AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Application.DependencyInjection)];
            // Outermost first: log → validate → retry lost races. A fault is logged once, with
            // its stack trace, by the exception handler that answers it (EnvelopeExceptionHandler).
            options.PipelineBehaviors =
            [
                typeof(Application.Common.Behaviours.LoggingBehaviour<,>),
                typeof(Application.Common.Behaviours.ValidationBehaviour<,>),
                typeof(Application.Common.Behaviours.ConcurrencyRetryBehaviour<,>),
            ];
        });

        services.AddConvorAuth();
        services.AddConvorRateLimiting(builder.Configuration);
        services.AddConvorIdempotency(builder.Configuration);
        services.AddControllers(options =>
            {
                options.SuppressAsyncSuffixInActionNames = true;
                // Missing versus non-JSON bodies are told apart in ModelStateErrors (400 "body is
                // required" versus 415), not answered 415 alike by the framework's filter.
                foreach (var filter in options.Filters.OfType<Microsoft.AspNetCore.Mvc.ModelBinding.UnsupportedContentTypeFilter>().ToList())
                    options.Filters.Remove(filter);
                options.ModelBinderProviders.Insert(0, new WireEnumModelBinderProvider());
                options.ModelBinderProviders.Insert(0, new Binding.AnyOfQueryModelBinderProvider());
            })
            .AddJsonOptions(options =>
            {
                WireJson.Configure(options.JsonSerializerOptions);
                // A request body may carry only the fields its operation defines: a misspelt
                // field would otherwise be dropped and the request "succeed" without doing what
                // was asked. Request bodies only; what we stored ourselves is read leniently.
                options.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                // Framework messages name .NET types; ModelStateErrors writes our own.
                options.AllowInputFormatterExceptionMessages = false;
            })
            .ConfigureApiBehaviorOptions(options =>
            {
                options.InvalidModelStateResponseFactory = ModelStateErrors.ToEnvelopeResult;
                options.SuppressMapClientErrors = true;
            });
        services.AddRouting(options => options.LowercaseUrls = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<EnvelopeExceptionHandler>();
        services.AddConvorHealthChecks();
        services.AddConvorOpenApi();
        services.AddHostedService<DatabaseStartup>();
        services.AddSnoozeSweep(builder.Configuration);
        services.AddRoutingDrain(builder.Configuration);
    }

    public static void ConfigurePipeline(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseCorrelationId();
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Expected 4xx outcomes are not errors of ours; only real faults are logged (by our handler).
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages(EnvelopeStatusCodePages.WriteAsync);
        app.UseRequestBodyLimit();

        app.UseConvorOpenApi();

        app.UseAuthentication();
        app.UseConvorRateLimiting(); // per key, so after authentication
        app.UseAuthorization();
        app.UseJsonRequestBodies();
        app.UseIdempotencyKeys(); // per organization, after authorization; claims only valid, JSON requests

        app.MapConvorHealthChecks();
        app.MapControllers();
    }
}
