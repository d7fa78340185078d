using System.Text.Json;
using Convor.Api.Errors;
using Convor.Api.Idempotency;
using Convor.Application.Common.Serialization;
using Namotion.Reflection;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Convor.Api.OpenApi;

/// <summary>
/// Completes each operation for the people and generators that read the document: a
/// description of every response status (from the contract's table), the error envelope on
/// every 4xx/5xx, the headers the contract promises (ETag, WWW-Authenticate, Retry-After),
/// and examples of request and response bodies from <see cref="OperationExamples"/>. Examples
/// are the wire models serialized with the wire JSON rules, so they cannot drift in shape.
/// </summary>
internal sealed class OperationDocumentation : IOperationProcessor
{
    private const string Json = "application/json";

    private static readonly Dictionary<string, string> StatusDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["200"] = "OK.",
        ["201"] = "Created; `Location` names the new resource.",
        ["400"] = "`validation_error`: malformed JSON, wrong types, a bad UUID in the path or body, an unknown enum value or an out-of-range value. `details` maps each offending field to its messages.",
        ["401"] = "`unauthorized`: the API key is missing, malformed, unknown or revoked.",
        ["403"] = "`forbidden`: the API key lacks the scope this operation needs.",
        ["404"] = "The id in the path is not in the current organization (another organization's id answers the same).",
        ["409"] = "The state of the resource forbids the command, or a concurrent change won.",
        ["412"] = "`precondition_failed`: `If-Match` was given and is not the current ETag.",
        ["413"] = "`payload_too_large`: the body is over 64 KiB.",
        ["415"] = "`unsupported_media_type`: a body that is not JSON.",
        ["422"] = "A reference in the body does not resolve in the current organization, or cannot be used.",
        ["429"] = "`rate_limited`: the per-key limit was hit; retry after `Retry-After` seconds.",
        ["500"] = "`internal_error`: a bug on our side; the message is generic.",
        ["503"] = "`service_unavailable`: the database cannot be reached; retry after `Retry-After` seconds.",
    };

    public bool Process(OperationProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = context.OperationDescription.Operation;
        OperationExamples.ByOperationId.TryGetValue(operation.OperationId ?? string.Empty, out var example);

        if (example?.Request is { } request && operation.RequestBody?.Content.TryGetValue(Json, out var requestBody) == true)
            requestBody.Example = ToWire(request);

        foreach (var (status, response) in operation.Responses)
        {
            if (string.IsNullOrEmpty(response.Description) && StatusDescriptions.TryGetValue(status, out var description))
                response.Description = description;

            if (status.StartsWith('2'))
                DocumentSuccess(response, example, context);
            else if (status[0] is '4' or '5')
                DocumentError(status, response, example, context);
        }

        // Readers expect statuses in order; the framework lists the shared ones first.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted)
            operation.Responses[status] = response;
        return true;
    }

    private static void DocumentSuccess(OpenApiResponse response, OperationExample? example, OperationProcessorContext context)
    {
        if (!response.Content.TryGetValue(Json, out var body)) return;
        if (example is not null) body.Example = ToWire(example.Response);
        var conversation = typeof(Application.Common.Models.ConversationResponse);
        if (context.SchemaResolver.HasSchema(conversation, false) && body.Schema?.ActualSchema == context.SchemaResolver.GetSchema(conversation, false))
        {
            response.Headers["ETag"] = new OpenApiHeader
            {
                Description = "The conversation's version, quoted (`\"42\"`); send it back in `If-Match` to change only this version.",
                Schema = new JsonSchema { Type = JsonObjectType.String },
            };
        }
    }

    private static void DocumentError(string status, OpenApiResponse response, OperationExample? example, OperationProcessorContext context)
    {
        if (!response.Content.TryGetValue(Json, out var body))
        {
            body = new OpenApiMediaType();
            response.Content[Json] = body;
        }
        // Every failure has the envelope, even a status an operation declares without a type.
        body.Schema ??= context.SchemaGenerator.GenerateWithReference<JsonSchema>(typeof(ErrorEnvelope).ToContextualType(), context.SchemaResolver);

        var code = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
        var takesIdempotencyKey = context.OperationDescription.Operation.Parameters.Any(p => p.Name == IdempotencyMiddleware.HeaderName);
        var documented = (example?.Errors ?? []).Select(ExceptionMapper.Map)
            .Concat(takesIdempotencyKey ? [IdempotencyMiddleware.InProgress, IdempotencyMiddleware.KeyReused] : [])
            .Where(e => e.Status == code).ToList();
        if (documented.Count == 0)
        {
            documented.Add(ErrorResponses.ForStatus(code));
        }
        body.Examples.Clear();
        foreach (var error in documented)
        {
            body.Examples[error.Code] = new OpenApiExample
            {
                Summary = error.Message,
                Value = ToWire(ErrorResponses.Envelope(error, "0193a5b2-c4d2-7e55-8f66-778899aabbcc")),
            };
        }

        switch (code)
        {
            case 401:
                response.Headers["WWW-Authenticate"] = Header("Always `Bearer`.");
                break;
            case 429 or 503:
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new JsonSchema { Type = JsonObjectType.Integer },
                };
                break;
        }
    }

    private static OpenApiHeader Header(string description) => new()
    {
        Description = description,
        Schema = new JsonSchema { Type = JsonObjectType.String },
    };

    /// <summary>The value exactly as the API writes it on the wire.</summary>
    private static JToken ToWire(object value) => JToken.Parse(JsonSerializer.Serialize(value, value.GetType(), WireJson.Options));
}
