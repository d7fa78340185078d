using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>The NSwag document names every lifecycle and query route with its stable operation id and every status it can answer.</summary>
public sealed class LifecycleOpenApiTests : SurfaceTestBase
{
    private static readonly string[] Always = ["400", "401", "403", "429", "500", "503"];

    // Commands also list 422 (and 409) for Idempotency-Key reuse (and a key still in progress).
    [TestCase("post", "/api/conversations/{id}/reopen", "reopenConversation", "200", "404", "409", "412", "422")]
    [TestCase("post", "/api/conversations/{id}/snooze", "snoozeConversation", "200", "404", "409", "412", "413", "415", "422")]
    [TestCase("patch", "/api/conversations/{id}", "updateConversation", "200", "404", "409", "412", "413", "415", "422")]
    [TestCase("get", "/api/conversations", "listConversations", "200")]
    [TestCase("get", "/api/conversations/{id}/events", "listConversationEvents", "200", "404")]
    [TestCase("get", "/api/operators", "listOperators", "200")]
    [TestCase("patch", "/api/operators/{id}", "updateOperator", "200", "404", "409", "413", "415", "422")]
    public async Task The_operation_is_documented_with_its_id_and_statuses(string method, string path, string operationId, params string[] statuses)
    {
        using var anonymous = Factory.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!;

        var operation = document["paths"]![path]![method].ShouldNotBeNull($"{method} {path}");

        operation["operationId"]!.GetValue<string>().ShouldBe(operationId);
        operation["summary"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        operation["description"]!.GetValue<string>().Length.ShouldBeGreaterThan(80);
        operation["responses"]!.AsObject().Select(r => r.Key).ShouldBe([.. statuses, .. Always], ignoreOrder: true);
        operation["security"].ShouldNotBeNull();
    }

    [TestCase("/api/conversations", "ConversationPage")]
    [TestCase("/api/operators", "OperatorPage")]
    [TestCase("/api/conversations/{id}/events", "ConversationEventPage")]
    public async Task Lists_answer_a_page_of_data_and_next_cursor(string path, string schema)
    {
        using var anonymous = Factory.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!;

        var ok = document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        ok["$ref"]!.GetValue<string>().ShouldBe($"#/components/schemas/{schema}");
        document["components"]!["schemas"]![schema]!["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["data", "nextCursor"]);
    }
}
