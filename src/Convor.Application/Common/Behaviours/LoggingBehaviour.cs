using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Convor.Application.Common.Behaviours;

/// <summary>
/// Logs which message ran, for how long and how it ended. Only the message's type name is
/// logged, never its fields: bodies carry personal data.
/// </summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            if (logger.IsEnabled(LogLevel.Debug))
                LogHandled(logger, typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception exception)
        {
            if (logger.IsEnabled(LogLevel.Information))
                LogFailed(logger, typeof(TMessage).Name, exception.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{MessageName} handled in {ElapsedMs:0.0} ms")]
    private static partial void LogHandled(ILogger logger, string messageName, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageName} ended with {Outcome} after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string messageName, string outcome, double elapsedMs);
}
