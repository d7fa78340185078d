using NJsonSchema;
using NSwag;

namespace Convor.Api.OpenApi;

/// <summary>
/// NJsonSchema writes a property that refers to an enum as <c>{"nullable": …, "oneOf": [{"$ref"}]}</c>.
/// In OpenAPI 3.0 <c>nullable</c> means nothing without a <c>type</c>, so linters reject it and
/// validators refuse <c>null</c>. This rewrites such properties the way 3.0 means them:
/// a nullable one as <c>oneOf: [{$ref}, {type, nullable, enum: [null]}]</c> (generated
/// TypeScript: <c>ResolvedBy | null</c>), a non-nullable one as the plain <c>$ref</c>.
/// </summary>
internal static class NullableReferences
{
    public static void Rewrite(OpenApiDocument document)
    {
        foreach (var schema in document.Components.Schemas.Values)
        {
            foreach (var property in schema.Properties.Values)
            {
                if (property.Type != JsonObjectType.None || property.OneOf.Count != 1 || property.OneOf.First().Reference is not { } target)
                    continue;

                if (property.IsNullableRaw == true)
                {
                    var onlyNull = new JsonSchema { Type = target.Type, IsNullableRaw = true };
                    onlyNull.Enumeration.Add(null);
                    property.OneOf.Add(onlyNull);
                }
                else
                {
                    property.OneOf.Clear();
                    property.Reference = target;
                }
                property.IsNullableRaw = null;
            }
        }

        // A query parameter has no null: it is sent or it is not (and is then optional), so an
        // enum filter is the plain $ref.
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Values))
        {
            foreach (var parameter in operation.Parameters)
            {
                var schema = parameter.Schema;
                if (schema is null || schema.Type != JsonObjectType.None || schema.OneOf.Count != 1 || schema.OneOf.First().Reference is not { } target)
                    continue;
                parameter.Schema = new JsonSchema { Reference = target };
            }
        }
    }
}
