using System.Text.RegularExpressions;

namespace Convor.Api.Http;

/// <summary>
/// Every response carries <c>X-Correlation-Id</c>: the caller's, when it is 1-64 characters of
/// <c>[A-Za-z0-9._-]</c>, otherwise one made here. It is also the request's TraceIdentifier,
/// so it appears in every log line of the request and in the error envelope.
/// </summary>
public static partial class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";
    private const string ItemKey = "Convor.CorrelationId";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex WellFormed();

    public static bool IsWellFormed(string? value) => value is not null && WellFormed().IsMatch(value);

    public static string Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) && value is string id ? id : context.TraceIdentifier;
    }

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Created once: LoggerFactory.CreateLogger takes a lock on every call.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Convor.Requests");
        return app.Use(async (context, next) =>
        {
            var presented = context.Request.Headers[HeaderName];
            var id = presented.Count == 1 && IsWellFormed(presented[0]) ? presented[0]! : Guid.CreateVersion7().ToString("D");
            context.Items[ItemKey] = id;
            context.TraceIdentifier = id;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[HeaderName] = id;
                return Task.CompletedTask;
            });
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            {
                await next(context);
            }
        });
    }
}
