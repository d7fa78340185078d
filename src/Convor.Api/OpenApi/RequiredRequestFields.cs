using NJsonSchema.Generation;

namespace Convor.Api.OpenApi;

/// <summary>
/// Marks in the schema the request fields that <see cref="OperationExamples.RequiredRequestFields"/>
/// names: required and not nullable, so generated clients make callers send them.
/// </summary>
internal sealed class RequiredRequestFields : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!OperationExamples.RequiredRequestFields.TryGetValue(context.ContextualType.Type, out var fields)) return;
        foreach (var field in fields)
        {
            var property = context.Schema.Properties[field];
            property.IsRequired = true;
            property.IsNullableRaw = false;
        }
    }
}
