using Convor.Api.Idempotency;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Convor.Api.OpenApi;

/// <summary>
/// Every POST and PATCH documents the optional <c>Idempotency-Key</c> header and the two
/// answers it adds: 409 <c>idempotency_in_progress</c> and 422 <c>idempotency_key_reused</c>.
/// Applied to every command, so a command added later is documented without an attribute.
/// </summary>
internal sealed class IdempotencyKeyOperationProcessor : IOperationProcessor
{
    private const int LastPosition = 100;

    public bool Process(OperationProcessorContext context)
    {
        var method = context.OperationDescription.Method;
        if (!string.Equals(method, "post", StringComparison.OrdinalIgnoreCase) && !string.Equals(method, "patch", StringComparison.OrdinalIgnoreCase))
            return true;

        var operation = context.OperationDescription.Operation;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyMiddleware.HeaderName,
            Kind = OpenApiParameterKind.Header,
            IsRequired = false,
            Description = "1-255 printable ASCII characters, unique per request you mean. A retry with the same key and the same request " +
                "within 24 hours gets the first answer again (with `Idempotency-Replayed: true`) and changes nothing twice.",
            Schema = new JsonSchema { Type = JsonObjectType.String, MinLength = 1, MaxLength = 255 },
            // Last in generated method signatures (x-position), after the body and If-Match,
            // so adding the header did not move the arguments clients already pass.
            Position = LastPosition,
        });

        // The error schema is the one every operation already uses for 400.
        if (!operation.Responses.TryGetValue("400", out var badRequest)) return true;
        operation.Responses.TryAdd("409", Error(badRequest));
        operation.Responses.TryAdd("422", Error(badRequest));
        return true;
    }

    private static OpenApiResponse Error(OpenApiResponse like)
    {
        var response = new OpenApiResponse { Description = like.Description };
        foreach (var (type, media) in like.Content) response.Content[type] = new OpenApiMediaType { Schema = media.Schema };
        return response;
    }
}
