using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Exceptions;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Convor.Application.Common.Behaviours;

/// <summary>
/// A command that lost an optimistic-concurrency race is run again on fresh state, a few
/// times, before the caller is told 409 <c>concurrency_conflict</c>. The loser's changes are
/// discarded first, so no update is ever written over one it did not see.
/// </summary>
public sealed partial class ConcurrencyRetryBehaviour<TMessage, TResponse>(
    IUnitOfWork unitOfWork,
    ILogger<ConcurrencyRetryBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IBaseCommand
{
    /// <summary>Attempts in all, the first included.</summary>
    public const int MaxAttempts = 4;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next(message, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                unitOfWork.DiscardChanges();
                LogRetry(logger, typeof(TMessage).Name, attempt);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageName} lost a concurrency race (attempt {Attempt}); retrying on fresh state")]
    private static partial void LogRetry(ILogger logger, string messageName, int attempt);
}
