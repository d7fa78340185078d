using Convor.Application.Common.Exceptions;
using Convor.Domain.Common;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Convor.Application.Common.Behaviours;

/// <summary>
/// Logs, with its stack trace, any exception that is not one of the expected business
/// outcomes (those become 4xx answers and are not errors of ours). The message's fields are
/// not logged.
/// </summary>
public sealed partial class UnhandledExceptionBehaviour<TMessage, TResponse>(ILogger<UnhandledExceptionBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception exception) when (!IsExpected(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogUnhandled(logger, exception, typeof(TMessage).Name);
            throw;
        }
    }

    private static bool IsExpected(Exception exception) => exception is ConvorException or DomainException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while handling {MessageName}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string messageName);
}
