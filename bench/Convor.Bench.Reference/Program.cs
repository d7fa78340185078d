using Convor.Bench.Reference;
using Npgsql;

// The physical limit the bench compares Convor with: the same routes, JSON and database,
// each command or read one SQL statement over a pooled Npgsql connection (the command's
// activity row and webhook outbox rows included), and nothing else (no EF,
// no MVC, no mediator, no validation pipeline). See bench/README.md.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var connectionString = builder.Configuration.GetConnectionString("Convor")
    ?? throw new InvalidOperationException("ConnectionStrings:Convor is required (the API's PostgreSQL database).");
var keyCacheMilliseconds = builder.Configuration.GetValue("Auth:KeyCacheMilliseconds", 500);

await using var dataSource = NpgsqlDataSource.Create(connectionString);
var endpoints = new Endpoints(
    new ConversationStore(dataSource, new WebhookSubscriptions(dataSource, TimeProvider.System)),
    new ApiKeyCache(dataSource, TimeProvider.System, TimeSpan.FromMilliseconds(keyCacheMilliseconds)),
    TimeProvider.System);

var app = builder.Build();
app.MapGet("/api/conversations", endpoints.ListAsync);
app.MapGet("/api/conversations/{id}", endpoints.GetAsync);
app.MapPost("/api/conversations/{id}/assign", endpoints.AssignAsync);
app.MapPost("/api/conversations/{id}/unassign", endpoints.UnassignAsync);
app.MapPost("/api/conversations/{id}/close", endpoints.CloseAsync);
app.MapPost("/api/conversations/{id}/reopen", endpoints.ReopenAsync);
await app.RunAsync();
