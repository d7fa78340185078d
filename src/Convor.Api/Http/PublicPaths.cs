namespace Convor.Api.Http;

/// <summary>
/// Routes anyone may call without a key, so they are neither authenticated nor rate limited:
/// health (an orchestrator must always be able to probe, and <c>/health/live</c> must never
/// touch the database, not even for a key lookup a stray bearer header would cause) and the
/// OpenAPI document with its UI.
/// </summary>
internal static class PublicPaths
{
    public const string Health = "/health";
    public const string Swagger = "/swagger";

    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments(Health, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Swagger, StringComparison.OrdinalIgnoreCase);
}
