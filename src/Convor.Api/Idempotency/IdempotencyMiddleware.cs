using Convor.Domain.Common;
using Convor.Api.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Convor.Api.Errors;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Idempotency;
using Convor.Application.Common.Serialization;
using Microsoft.Net.Http.Headers;

namespace Convor.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every POST and PATCH of the API. Runs after authorization, so the
/// key is scoped to the caller's organization and a request without the scope never claims
/// one. The request is fingerprinted, the key claimed, the command run with its answer
/// buffered, and the answer recorded when a retry should get it back; otherwise the key is
/// released so that a retry runs the command. See docs/adr/0300-idempotency-keys.md.
/// </summary>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IdempotencyCoordinator coordinator,
    IHostApplicationLifetime lifetime,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotency-Replayed";

    /// <summary>The same key while its first request still runs (also shown in the OpenAPI document).</summary>
    public static readonly MappedError InProgress = new(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyInProgress,
        "A request with this Idempotency-Key is still being processed; retry later.");

    /// <summary>The same key with a different request (also shown in the OpenAPI document).</summary>
    public static readonly MappedError KeyReused = new(StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
        "This Idempotency-Key was already used for a different request.");

    /// <summary>Headers that belong to the answer and are sent again on a replay.</summary>
    internal static readonly string[] ReplayedHeaders = [HeaderNames.ETag, HeaderNames.Location, HeaderNames.ContentType];

    private static readonly string[] KeyMalformed = ["must be 1-255 printable ASCII characters"];
    private static readonly string[] KeyRepeated = ["must be sent once"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!AppliesTo(context) || !context.Request.Headers.TryGetValue(HeaderName, out var header))
        {
            await next(context);
            return;
        }

        // Present but empty is malformed too: the client meant to send a key.
        if (header.Count != 1 || !IsWellFormedKey(header[0]))
        {
            await ErrorResponses.WriteAsync(context, ErrorResponses.Validation(
                new Dictionary<string, object> { [HeaderName] = header.Count > 1 ? KeyRepeated : KeyMalformed }));
            return;
        }

        var key = header[0]!;
        var organizationId = context.RequestServices.GetRequiredService<ICurrentCaller>().OrganizationId;
        var fingerprint = await RequestFingerprint.ComputeAsync(context.Request, context.RequestAborted);
        var decision = await coordinator.BeginAsync(organizationId, key, fingerprint, context.RequestAborted);

        switch (decision.Outcome)
        {
            case IdempotencyOutcome.Replay:
                await ReplayAsync(context, decision.Response!);
                return;
            case IdempotencyOutcome.InProgress:
                // The first attempt usually finishes within a second; by then the retry gets its answer.
                context.Response.Headers.RetryAfter = "1";
                await ErrorResponses.WriteAsync(context, InProgress);
                return;
            case IdempotencyOutcome.KeyReused:
                await ErrorResponses.WriteAsync(context, KeyReused);
                return;
        }

        var original = context.Response.Body;
        var clientAborted = context.RequestAborted;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        // From here the command and its answer are this key's, not the connection's: a client
        // that leaves after the save must not cut the answer short (MVC stops writing a body
        // once RequestAborted fires, which would record an empty 2xx for the retry to get).
        // Only stopping the process cancels the command now; the claim is then released.
        context.RequestAborted = lifetime.ApplicationStopping;
        RecordedResponse? answer;
        try
        {
            await next(context);
            answer = AnswerToRecord(context, buffer);
        }
        catch (Exception exception)
        {
            // The exception handler further out writes the answer, from the same mapper.
            answer = context.RequestAborted.IsCancellationRequested ? null : AnswerToRecord(exception, context);
            context.Response.Body = original;
            await FinishAsync(organizationId, key, decision.AttemptId, answer);
            throw;
        }
        finally
        {
            context.Response.Body = original;
            context.RequestAborted = clientAborted;
        }

        await FinishAsync(organizationId, key, decision.AttemptId, answer);
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>Commands: POST and PATCH of an authenticated API route (not an unknown route, not a 405).</summary>
    private static bool AppliesTo(HttpContext context)
    {
        var method = context.Request.Method;
        if (!HttpMethods.IsPost(method) && !HttpMethods.IsPatch(method)) return false;
        if (context.User.Identity?.IsAuthenticated != true) return false;
        var methods = context.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return methods is not null && methods.Contains(method, StringComparer.OrdinalIgnoreCase);
    }

    internal static bool IsWellFormedKey(string? key) =>
        key is { Length: > 0 and <= IdempotencyClaim.KeyMaxLength }
        && key.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0;

    /// <summary>
    /// Which answers a retry gets back. Recorded: successes, and the refusals the command
    /// decided from the data (404, 409, 412, 422). Not recorded: answers about the request's
    /// form (400, 413, 415: nothing was accepted, so the client may fix the request and resend
    /// it under the same key), about access (401, 403), and answers that ask for a retry
    /// (409 <c>concurrency_conflict</c>, 408, 429, every 5xx): replaying those would make the
    /// retry pointless.
    /// </summary>
    internal static bool IsRecorded(int status, string? errorCode) => status switch
    {
        >= 200 and < 300 => true,
        StatusCodes.Status409Conflict => errorCode != ErrorCodes.ConcurrencyConflict,
        StatusCodes.Status404NotFound or StatusCodes.Status410Gone or StatusCodes.Status412PreconditionFailed or StatusCodes.Status422UnprocessableEntity => true,
        _ => false,
    };

    private static RecordedResponse? AnswerToRecord(HttpContext context, MemoryStream buffer)
    {
        var status = context.Response.StatusCode;
        var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        // An error without a body gets its envelope further out, from the status code alone; not ours to record.
        if (status >= 400 && body.Length == 0) return null;
        if (!IsRecorded(status, status >= 400 ? ErrorCodeOf(body) : null)) return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ReplayedHeaders)
            if (context.Response.Headers.TryGetValue(name, out var value) && value.Count > 0) headers[name] = value.ToString();
        return new RecordedResponse(status, headers, body);
    }

    private static RecordedResponse? AnswerToRecord(Exception exception, HttpContext context)
    {
        var error = ExceptionMapper.Map(exception);
        if (!IsRecorded(error.Status, error.Code)) return null;
        return new RecordedResponse(error.Status,
            new Dictionary<string, string> { [HeaderNames.ContentType] = ErrorResponses.JsonContentType },
            JsonSerializer.Serialize(ErrorResponses.Envelope(context, error), WireJson.Options));
    }

    private static string? ErrorCodeOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["code"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task FinishAsync(Domain.Common.OrganizationId organizationId, string key, Guid attemptId, RecordedResponse? answer)
    {
        // Not the request's token: the key must be completed or released even if the client left.
        try
        {
            if (answer is not null) await coordinator.CompleteAsync(organizationId, key, attemptId, answer, CancellationToken.None);
            else await coordinator.ReleaseAsync(organizationId, key, attemptId, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The command's own answer still goes out. The claim stays in progress and is
            // taken over by a retry after Idempotency:InProgressTimeoutSeconds.
            LogFinishFailed(logger, exception.GetType().Name);
        }
    }

    private static async Task ReplayAsync(HttpContext context, RecordedResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers) context.Response.Headers[name] = value;
        context.Response.Headers[ReplayedHeaderName] = "true";
        // An error envelope names the request it answers: this one, not the first.
        var body = response.Status >= 400 ? WithCorrelationId(response.Body, CorrelationId.Get(context)) : response.Body;
        await context.Response.WriteAsync(body, Encoding.UTF8, context.RequestAborted);
    }

    private static string WithCorrelationId(string envelope, string correlationId)
    {
        try
        {
            if (JsonNode.Parse(envelope) is JsonObject root && root["error"] is JsonObject error)
            {
                error["correlationId"] = correlationId;
                return root.ToJsonString(WireJson.Options);
            }
        }
        catch (JsonException)
        {
            // Recorded by us, so always an envelope; if not, send it as it was.
        }
        return envelope;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the outcome of an idempotent request ({ExceptionType}); its key frees itself after the in-progress timeout")]
    private static partial void LogFinishFailed(ILogger logger, string exceptionType);
}
