using Convor.Application.Common.Idempotency;
using Microsoft.Extensions.Options;

namespace Convor.Api.Idempotency;

internal static class IdempotencySetup
{
    public static IServiceCollection AddConvorIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InProgressTimeout>();
        services.AddSingleton<IPostConfigureOptions<IdempotencyOptions>>(sp => sp.GetRequiredService<InProgressTimeout>());
        services.AddSingleton<IValidateOptions<IdempotencyOptions>>(sp => sp.GetRequiredService<InProgressTimeout>());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IdempotencyOptions>>().Value);
        services.AddSingleton<IdempotencyCoordinator>();
        services.AddHostedService<IdempotencyPurgeService>();
        return services;
    }

    /// <summary>After authorization: a key belongs to the caller's organization.</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}
