using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Infrastructure;

/// <summary>
/// Base of every HTTP test that depends on the database: the fixture runs once per provider
/// (<see cref="TestDatabases.Names"/>).
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Names))]
public abstract class ApiTestBase(string databaseName) : ApiFixture(databaseName);

/// <summary>
/// Base of HTTP tests of the API's surface that no database changes (the OpenAPI document,
/// the shapes of validation errors): they run once, on SQLite, so the suite does not repeat
/// them for every provider.
/// </summary>
public abstract class SurfaceTestBase() : ApiFixture(TestDatabases.Sqlite);

/// <summary>
/// One API and database per fixture, and two fresh organizations per test: <see cref="Org"/>
/// acts, <see cref="OtherOrg"/> owns data that must stay invisible and unchanged.
/// </summary>
public abstract class ApiFixture(string databaseName)
{
    protected ConvorApiFactory Factory { get; private set; } = null!;
    protected TestOrganization Org { get; private set; } = null!;
    protected TestOrganization OtherOrg { get; private set; } = null!;
    protected HttpClient Client => Org.Client;

    /// <summary>Configuration the fixture's API starts with, on top of the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Services the fixture's API uses instead of its own (a fake clock, say).</summary>
    protected virtual void ReplaceServices(IServiceCollection services) { }

    [OneTimeSetUp]
    public async Task StartApiAsync()
    {
        var database = await TestDatabases.CreateAsync(databaseName);
        Factory = new ConvorApiFactory(database, Settings, ReplaceServices);
        _ = Factory.Server; // start now: migrations run here, not inside the first test
    }

    [OneTimeTearDown]
    public async Task StopApiAsync()
    {
        if (Factory is null) return;
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }

    [SetUp]
    public async Task CreateOrganizationsAsync()
    {
        Org = await Factory.CreateOrganizationAsync("Acting Org");
        OtherOrg = await Factory.CreateOrganizationAsync("Other Org");
    }

    protected static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    protected static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts the status, the envelope's exact shape and its code; returns the error body.</summary>
    protected internal static async Task<JsonObject> ShouldBeErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var root = JsonNode.Parse(text)!.AsObject();
        root.Select(p => p.Key).ShouldBe(["error"]);
        var error = root["error"]!.AsObject();
        error.Select(p => p.Key).ShouldBe(["code", "message", "details", "correlationId"]);
        error["code"]!.GetValue<string>().ShouldBe(code);
        error["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        error["details"].ShouldBeOfType<JsonObject>();
        error["correlationId"]!.GetValue<string>().ShouldBe(response.Headers.GetValues("X-Correlation-Id").Single());
        return error;
    }

    protected static async Task<JsonObject> ShouldBeOkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    protected static Task<JsonObject> CreateOperatorAsync(TestOrganization org, bool active = true, string? email = null) =>
        PostAsync(org, "/api/operators", new
        {
            name = "Operator " + Guid.NewGuid().ToString("N")[..6],
            email = email ?? $"op-{Guid.NewGuid():N}@example.test",
            role = "agent",
            active,
        }, HttpStatusCode.Created);

    protected static Task<JsonObject> CreateConversationAsync(TestOrganization org, object? body = null) =>
        PostAsync(org, "/api/conversations", body ?? new { channel = "widget" }, HttpStatusCode.Created);

    protected static async Task<JsonObject> PostAsync(TestOrganization org, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await org.Client.PostAsJsonAsync(path, body);
        return await ShouldBeOkAsync(response, expected);
    }

    protected static async Task<JsonObject> GetConversationJsonAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.GetAsync($"/api/conversations/{id}");
        return await ShouldBeOkAsync(response);
    }

    protected static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    private static readonly JsonSerializerOptions CanonicalOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The node as compact JSON, for comparing whole resources before and after.</summary>
    protected static string Canonical(JsonNode? node) => node?.ToJsonString(CanonicalOptions) ?? "null";
}
