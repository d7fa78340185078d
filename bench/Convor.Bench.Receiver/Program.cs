using System.Collections.Concurrent;
using System.Globalization;

// The webhook receiver of bench/run.sh: answers every POST with 204 at once (the fastest
// receiver there can be, so delivery figures measure the API's dispatcher, not the receiver)
// and counts what arrived. GET /count answers "<requests> <distinct webhook-ids>".
// Usage: ASPNETCORE_URLS=http://127.0.0.1:<port> dotnet Convor.Bench.Receiver.dll
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Logging.ClearProviders();
var app = builder.Build();

long requests = 0;
var ids = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

app.MapPost("/{**path}", (HttpContext http) =>
{
    Interlocked.Increment(ref requests);
    if (http.Request.Headers["webhook-id"] is [{ } id]) ids.TryAdd(id, 0);
    return Results.NoContent();
});
app.MapGet("/count", () => Results.Text(
    Interlocked.Read(ref requests).ToString(CultureInfo.InvariantCulture) + " " + ids.Count.ToString(CultureInfo.InvariantCulture)));
app.MapDelete("/count", () =>
{
    Interlocked.Exchange(ref requests, 0);
    ids.Clear();
    return Results.NoContent();
});
await app.RunAsync();
