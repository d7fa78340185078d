using Convor.Application.Common.Exceptions;
using Convor.Domain.Common;
using Convor.Api.Http;
using System.Text.Json;
using System.Text.Json.Serialization;
using Convor.Application.Common.Serialization;

namespace Convor.Api.Errors;

/// <summary>The body of every 4xx and 5xx answer, and nothing else.</summary>
/// <remarks><c>[Required]</c> only tells the OpenAPI schema that <c>error</c> is always there.</remarks>
public sealed record ErrorEnvelope([property: System.ComponentModel.DataAnnotations.Required] ErrorBody Error);

public sealed record ErrorBody
{
    /// <summary>Machine-readable code, e.g. <c>conversation_not_found</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Human-readable sentence; never a stack trace, SQL or type name.</summary>
    public required string Message { get; init; }

    /// <summary>Always an object; for <c>validation_error</c> each field maps to a list of messages.</summary>
    [JsonConverter(typeof(VerbatimKeysConverter))]
    public required IReadOnlyDictionary<string, object> Details { get; init; }

    /// <summary>The request's <c>X-Correlation-Id</c>, also in the server's logs.</summary>
    public required string CorrelationId { get; init; }
}

/// <summary>
/// Writes <see cref="ErrorBody.Details"/> keys as given: they are wire names already
/// (<c>operatorId</c>, <c>metadata.tags[0]</c>) or header names (<c>Idempotency-Key</c>), which
/// the camelCase dictionary policy would misspell.
/// </summary>
internal sealed class VerbatimKeysConverter : JsonConverter<IReadOnlyDictionary<string, object>>
{
    public override IReadOnlyDictionary<string, object> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Dictionary<string, object>>(ref reader, options) ?? [];

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, item?.GetType() ?? typeof(object), options);
        }
        writer.WriteEndObject();
    }
}

/// <summary>
/// Builds and writes the envelope: the single place that knows its shape. The exception
/// mapper, model-state errors, authentication, rate limiting, health and idempotency all
/// answer through it.
/// </summary>
public static class ErrorResponses
{
    public static readonly IReadOnlyDictionary<string, object> NoDetails = new Dictionary<string, object>();

    /// <summary>The envelope of <paramref name="error"/>, naming the request it answers.</summary>
    public static ErrorEnvelope Envelope(HttpContext context, MappedError error) => Envelope(error, CorrelationId.Get(context));

    public static ErrorEnvelope Envelope(MappedError error, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ErrorEnvelope(new ErrorBody
        {
            Code = error.Code,
            Message = error.Message,
            Details = error.Details ?? NoDetails,
            CorrelationId = correlationId,
        });
    }

    /// <summary>400 <c>validation_error</c> with each field's messages.</summary>
    public static MappedError Validation(IReadOnlyDictionary<string, object> details) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, RequestValidationException.GenericMessage, details);

    /// <summary>The answer for a status that has no more specific explanation.</summary>
    public static MappedError ForStatus(int status)
    {
        var (code, message) = CodeAndMessage(status);
        return new MappedError(status, code, message);
    }

    public static Task WriteAsync(HttpContext context, int status) => WriteAsync(context, ForStatus(status));

    public static async Task WriteAsync(HttpContext context, MappedError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var envelope = Envelope(context, error);
        context.Response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body is never read, so the server closes the connection after
            // answering; saying so keeps clients from sending the next request into it.
            context.Response.Headers.Connection = "close";
        }
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = null;
        await JsonSerializer.SerializeAsync(context.Response.Body, envelope, WireJson.Options, context.RequestAborted);
    }

    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>A <c>Retry-After</c> value: whole seconds, rounded up, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static (string Code, string Message) CodeAndMessage(int status) => status switch
    {
        400 => (ErrorCodes.ValidationError, RequestValidationException.GenericMessage),
        401 => (ErrorCodes.Unauthorized, "A valid API key is required: send 'Authorization: Bearer <api key>'."),
        403 => (ErrorCodes.Forbidden, "The API key does not have the scope this operation needs."),
        404 => (ErrorCodes.NotFound, "No such resource or route."),
        405 => (ErrorCodes.MethodNotAllowed, "The route does not support this HTTP method."),
        406 => (ErrorCodes.NotAcceptable, "The API answers only with application/json."),
        409 => (ErrorCodes.Conflict, "The request conflicts with the current state."),
        412 => (ErrorCodes.PreconditionFailed, "If-Match does not match the current ETag."),
        413 => (ErrorCodes.PayloadTooLarge, "The request body is larger than 64 KiB."),
        415 => (ErrorCodes.UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json)."),
        429 => (ErrorCodes.RateLimited, "Too many requests for this API key; retry after the time in Retry-After."),
        503 => (ErrorCodes.ServiceUnavailable, "The service is temporarily unavailable; retry after the time in Retry-After."),
        >= 500 => (ErrorCodes.InternalError, "An unexpected error occurred."),
        _ => (ErrorCodes.Error, "The request could not be processed."),
    };
}
