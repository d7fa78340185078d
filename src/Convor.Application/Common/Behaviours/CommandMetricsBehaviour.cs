using Convor.Application.Common.Telemetry;
using Mediator;

namespace Convor.Application.Common.Behaviours;

/// <summary>
/// Counts every command by its type and how it ended (<c>convor.commands</c>): succeeded, or
/// the type name of the exception that ended it (a validation failure, a rule of the domain, a
/// lost race after its retries). Names only, never a field of the command.
/// </summary>
public sealed class CommandMetricsBehaviour<TMessage, TResponse>(ConvorMetrics metrics)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IBaseCommand
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        try
        {
            var response = await next(message, cancellationToken);
            metrics.CommandHandled(typeof(TMessage).Name, ConvorMetrics.Succeeded);
            return response;
        }
        catch (Exception exception)
        {
            metrics.CommandHandled(typeof(TMessage).Name, exception.GetType().Name);
            throw;
        }
    }
}
