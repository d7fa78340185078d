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

/// <summary>Writes the envelope; the single place that knows its shape.</summary>
public static class ErrorResponses
{
    public static readonly IReadOnlyDictionary<string, object> NoDetails = new Dictionary<string, object>();

    public static async Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyDictionary<string, object>? details = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var envelope = new ErrorEnvelope(new ErrorBody
        {
            Code = code,
            Message = message,
            Details = details ?? NoDetails,
            CorrelationId = CorrelationId.Get(context),
        });
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body is never read, so the server closes the connection after
            // answering; saying so keeps clients from sending the next request into it.
            context.Response.Headers.Connection = "close";
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = null;
        await JsonSerializer.SerializeAsync(context.Response.Body, envelope, WireJson.Options, context.RequestAborted);
    }

    /// <summary>The code and message for a status that has no more specific explanation.</summary>
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        400 => ("validation_error", "The request is not valid."),
        401 => ("unauthorized", "A valid API key is required: send 'Authorization: Bearer <api key>'."),
        403 => ("forbidden", "The API key does not have the scope this operation needs."),
        404 => ("not_found", "No such resource or route."),
        405 => ("method_not_allowed", "The route does not support this HTTP method."),
        406 => ("not_acceptable", "The API answers only with application/json."),
        409 => ("conflict", "The request conflicts with the current state."),
        412 => ("precondition_failed", "If-Match does not match the current ETag."),
        413 => ("payload_too_large", "The request body is larger than 64 KiB."),
        415 => ("unsupported_media_type", "The request body must be JSON (Content-Type: application/json)."),
        429 => ("rate_limited", "Too many requests for this API key; retry after the time in Retry-After."),
        503 => ("service_unavailable", "The service is temporarily unavailable; retry after the time in Retry-After."),
        >= 500 => ("internal_error", "An unexpected error occurred."),
        _ => ("error", "The request could not be processed."),
    };
}
