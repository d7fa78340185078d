using Convor.Application.Common.Exceptions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Microsoft.AspNetCore.Diagnostics;
using Convor.Infrastructure.Persistence;

namespace Convor.Api.Errors;

/// <summary>A failure as the client sees it.</summary>
public sealed record MappedError(int Status, string Code, string Message, IReadOnlyDictionary<string, object>? Details = null, bool IsServerFault = false);

/// <summary>
/// The one place that turns an exception into (status, code). Unknown exceptions become
/// 500 <c>internal_error</c> with a generic message: nothing of the exception leaks.
/// </summary>
public static class ExceptionMapper
{
    /// <summary>Seconds a client should wait before retrying when the database is away.</summary>
    public const int ServiceUnavailableRetryAfterSeconds = 5;

    private static readonly string[] UntilInPast = ["must be in the future"];
    private static readonly string[] BodyUnreadable = ["could not be read"];

    public static MappedError Map(Exception exception) => exception switch
    {
        RequestValidationException v => new(400, v.Code, v.Message, v.Errors.ToDictionary(e => e.Key, e => (object)e.Value)),
        SnoozeInPastException => ErrorResponses.Validation(new Dictionary<string, object> { ["until"] = UntilInPast }),
        NotFoundException n => new(404, n.Code, n.Message),
        DomainStateException d => new(409, d.Code, d.Message),
        DomainReferenceException d => new(422, d.Code, d.Message),
        ConcurrencyConflictException c => new(409, c.Code, c.Message),
        ConflictException c => new(409, c.Code, c.Message),
        PreconditionFailedException p => new(412, p.Code, p.Message),
        ConvorException c => new(400, c.Code, c.Message),
        BadHttpRequestException { StatusCode: 413 } => Generic(413),
        BadHttpRequestException b => ErrorResponses.Validation(new Dictionary<string, object> { [ModelStateErrors.BodyField] = BodyUnreadable }) with { Status = b.StatusCode, Message = "The request could not be read." },
        _ when DatabaseFailures.IsUnavailable(exception) => Generic(503) with { IsServerFault = true },
        _ => Generic(500) with { IsServerFault = true },
    };

    private static MappedError Generic(int status) => ErrorResponses.ForStatus(status);
}

/// <summary>ASP.NET Core's exception-handler hook, writing the contract's envelope.</summary>
internal sealed partial class EnvelopeExceptionHandler(ILogger<EnvelopeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var error = ExceptionMapper.Map(exception);
        if (error.Status == 503)
        {
            LogUnavailable(logger, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = ExceptionMapper.ServiceUnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (error.IsServerFault)
        {
            LogUnhandled(logger, exception);
        }

        await ErrorResponses.WriteAsync(httpContext, error);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({ExceptionType}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception; answered 500")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
