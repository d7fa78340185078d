using Convor.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Hostile;

/// <summary>One method and route template the API serves, e.g. <c>POST api/conversations/{id}/assign</c>.</summary>
public sealed record ApiRoute(string Method, string Template, IReadOnlyList<string> Parameters)
{
    public bool HasBody => Method is "POST" or "PATCH" or "PUT";

    /// <summary>The resource a path parameter names: <c>conversations</c> for <c>api/conversations/{id}/assign</c>.</summary>
    public string Resource => Template.Split('/')[1];

    public override string ToString() => $"{Method} /{Template}";
}

/// <summary>
/// The routes the running API exposes, read from its endpoint data (the same source routing
/// uses), so a route added later is enumerated without anyone listing it here.
/// </summary>
public static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> All(ConvorApiFactory factory)
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        return endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.TrimStart('/').StartsWith("api/", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => new ApiRoute(
                method.ToUpperInvariant(),
                e.RoutePattern.RawText!.TrimStart('/'),
                e.RoutePattern.Parameters.Select(p => p.Name).ToList())))
            .Distinct()
            .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The path with each parameter replaced by <paramref name="valueFor"/>'s answer.</summary>
    public static string PathOf(ApiRoute route, Func<string, string> valueFor) =>
        "/" + string.Join('/', route.Template.Split('/').Select(segment =>
            segment.StartsWith('{') && segment.EndsWith('}')
                ? Uri.EscapeDataString(valueFor(segment.Trim('{', '}').Split(':')[0].TrimEnd('?')))
                : segment));
}
