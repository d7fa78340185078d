using Microsoft.Net.Http.Headers;

namespace Convor.Api.Http;

/// <summary>
/// Headers every answer carries, errors included: <c>X-Content-Type-Options: nosniff</c> (a
/// browser never guesses a type other than the JSON we declare) and, outside the Swagger UI's
/// static files, <c>Cache-Control: no-store</c> (answers hold one organization's data and must
/// not sit in a shared cache). There is no <c>Server</c> header: Kestrel's is switched off in
/// <see cref="ConvorApi"/>. Set when the response starts, so answers written after an
/// exception (which clears headers) get them too.
/// </summary>
public static class SecurityHeaders
{
    public const string NoSniff = "nosniff";
    public const string NoStore = "no-store";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.XContentTypeOptions] = NoSniff;
            if (!context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase))
            {
                headers.CacheControl = NoStore;
                headers.Remove(HeaderNames.Pragma);
                headers.Remove(HeaderNames.Expires);
            }
            return Task.CompletedTask;
        });
        return next(context);
    });
}
