using Convor.Application.Common.Behaviours;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Application;

public static class DependencyInjection
{
    /// <summary>
    /// The pipeline every message passes, outermost first. The mediator itself is generated
    /// in the host (Convor.Api), which passes this list to <c>AddMediator</c>.
    /// </summary>
    public static readonly Type[] PipelineBehaviours =
    [
        typeof(LoggingBehaviour<,>),
        typeof(UnhandledExceptionBehaviour<,>),
        typeof(ValidationBehaviour<,>),
        typeof(ConcurrencyRetryBehaviour<,>),
    ];

    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
