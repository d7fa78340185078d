using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Generation.TypeMappers;
using NSwag;
using NSwag.Generation.Processors.Security;

namespace Convor.Api.OpenApi;

/// <summary>The NSwag document at <c>/swagger/v1/swagger.json</c> and Swagger UI at <c>/swagger</c>.</summary>
internal static class OpenApiSetup
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddConvorOpenApi(this IServiceCollection services)
    {
        services.AddOpenApiDocument(settings =>
        {
            settings.DocumentName = "v1";
            settings.Title = "Convor API";
            settings.Version = "v1";
            settings.Description = "Routes live-chat conversations between the AI agent and human operators. " +
                "Every request acts in the organization of its API key.";
            // The schema of the wire JSON, not of .NET's defaults: camelCase, enums as strings.
            settings.SchemaSettings.SchemaType = SchemaType.OpenApi3;
            settings.SchemaSettings.GenerateEnumMappingDescription = false;
            // Request bodies share a base record only to hide their members from ToString (logs); on the wire they are flat objects.
            settings.SchemaSettings.FlattenInheritanceHierarchy = true;
            settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(JsonElement), schema =>
            {
                schema.Type = JsonObjectType.Object;
                schema.AllowAdditionalProperties = true;
            }));
            settings.AddSecurity(BearerScheme, [], new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "cvr_…",
                Description = "An API key of your organization: `Authorization: Bearer cvr_…`.",
            });
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(BearerScheme));
            settings.OperationProcessors.Add(new IdempotencyKeyOperationProcessor());
            settings.PostProcess = document => document.Servers.Clear();
        });
        return services;
    }
}
