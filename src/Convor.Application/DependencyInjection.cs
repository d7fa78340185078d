using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        // IMeterFactory comes with every host (WebApplication, the admin command line).
        services.AddSingleton<Common.Telemetry.ConvorMetrics>();
        return services;
    }
}
