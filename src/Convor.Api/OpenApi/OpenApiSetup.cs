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

    private static readonly Dictionary<string, string> TagDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Conversations"] = "Live-chat conversations of the current organization and the commands that route them between the AI agent and human operators.",
        ["Operators"] = "The human operators of the current organization, who can be assigned conversations.",
        ["Webhooks"] = "Endpoints that receive the organization's events, signed per Standard Webhooks, and their deliveries.",
    };

    public static IServiceCollection AddConvorOpenApi(this IServiceCollection services)
    {
        services.AddOpenApiDocument(settings =>
        {
            settings.DocumentName = "v1";
            settings.Title = "Convor API";
            settings.Version = "v1";
            settings.Description = "Routes live-chat conversations between the AI agent and human operators. " +
                "Every request acts in the organization of its API key. Every response carries `X-Correlation-Id`; " +
                "every 4xx and 5xx answer is the error envelope `{\"error\":{\"code\",\"message\",\"details\",\"correlationId\"}}`.";
            // The schema of the wire JSON, not of .NET's defaults: camelCase, enums as strings.
            settings.SchemaSettings.SchemaType = SchemaType.OpenApi3;
            settings.SchemaSettings.GenerateEnumMappingDescription = false;
            // Request bodies share a base record only to hide their members from ToString (logs); on the wire they are flat objects.
            settings.SchemaSettings.FlattenInheritanceHierarchy = true;
            settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(JsonElement), schema =>
            {
                schema.Type = JsonObjectType.Object;
                // Written out ("additionalProperties": {}) so generated clients type it as a
                // string-keyed object rather than "any".
                schema.AdditionalPropertiesSchema = new JsonSchema();
            }));
            // The contract's ids are UUIDs; "uuid" is the format OpenAPI tools know ("guid" is .NET's word).
            settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(Guid), schema =>
            {
                schema.Type = JsonObjectType.String;
                schema.Format = "uuid";
            }));
            settings.SchemaSettings.SchemaProcessors.Add(new RequiredRequestFields());
            settings.AddSecurity(BearerScheme, [], new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "cvr_…",
                Description = "An API key of your organization: `Authorization: Bearer cvr_…`.",
            });
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(BearerScheme));
            settings.OperationProcessors.Add(new IdempotencyKeyOperationProcessor());
            settings.OperationProcessors.Add(new OperationDocumentation());
            settings.PostProcess = document =>
            {
                // No servers: the API runs at each customer's own host, and clients are given
                // its base URL (clients/typescript/redocly.yaml says why the lint rule is off).
                document.Servers.Clear();
                NullableReferences.Rewrite(document);
                foreach (var tag in document.Tags ?? [])
                    tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name);
            };
        });
        return services;
    }

    /// <summary>Serves the document and Swagger UI.</summary>
    public static WebApplication UseConvorOpenApi(this WebApplication app)
    {
        // The served document names no server either (NSwag would add the request's host): it
        // is then byte for byte the committed clients/typescript/openapi.json, whatever host or
        // proxy it is fetched through, and Swagger UI calls the origin it was loaded from.
        app.UseOpenApi(settings => settings.PostProcess = (document, _) => document.Servers.Clear());
        app.UseSwaggerUi();
        return app;
    }
}
