using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Transport;

public sealed class OpenApiDocumentTests : SurfaceTestBase
{
    private async Task<JsonObject> DocumentAsync()
    {
        using var client = Factory.CreateClient();
        return JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();
    }

    [Test]
    public async Task Document_has_the_bearer_scheme_and_stable_operation_ids()
    {
        var document = await DocumentAsync();

        document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value!["operationId"]!.GetValue<string>()))
            .ToList();
        operationIds.ShouldBeUnique();
        foreach (var id in new[] { "createConversation", "getConversation", "assignOperator", "unassignConversation", "closeConversation", "createOperator", "getOperator" })
            operationIds.ShouldContain(id);
    }

    [Test]
    public async Task Every_operation_lists_the_auth_errors_and_uses_the_envelope_for_every_error()
    {
        var document = await DocumentAsync();

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                responses.ContainsKey("401").ShouldBeTrue($"{method} {path}");
                responses.ContainsKey("403").ShouldBeTrue($"{method} {path}");
                operation["security"].ShouldNotBeNull($"{method} {path}");
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    response!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>()
                        .ShouldEndWith("/ErrorEnvelope", Case.Sensitive, $"{method} {path} {status}");
                }
            }
        }
    }

    /// <summary>The contract's error table: the codes each status may carry (plus our own, documented in the README).</summary>
    private static readonly Dictionary<string, string[]> ContractCodes = new()
    {
        ["400"] = ["validation_error"],
        ["401"] = ["unauthorized"],
        ["403"] = ["forbidden"],
        ["404"] = ["conversation_not_found", "operator_not_found", "not_found"],
        ["409"] = ["conversation_closed", "concurrency_conflict", "idempotency_in_progress", "ai_not_active", "operator_not_assigned", "operator_email_taken"],
        ["412"] = ["precondition_failed"],
        ["413"] = ["payload_too_large"],
        ["415"] = ["unsupported_media_type"],
        ["422"] = ["invalid_operator", "operator_inactive", "invalid_visitor", "idempotency_key_reused"],
        ["429"] = ["rate_limited"],
        ["500"] = ["internal_error"],
        ["503"] = ["service_unavailable"],
    };

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!.AsObject())));

    [Test]
    public async Task Every_operation_has_a_summary_a_description_and_a_description_of_every_status()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document))
        {
            operation["summary"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace(name);
            operation["description"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace(name);
            foreach (var (status, response) in operation["responses"]!.AsObject())
                response!["description"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace($"{name} {status}");
        }
    }

    [Test]
    public async Task Every_request_and_response_body_has_an_example_and_error_examples_use_the_contract_codes_of_their_status()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document))
        {
            if (operation["requestBody"] is { } requestBody)
                requestBody["content"]!["application/json"]!["example"].ShouldNotBeNull($"{name} request");
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                var body = response!["content"]?["application/json"]?.AsObject();
                if (status[0] == '2')
                {
                    if (body is not null) // a 204 has no body to show
                        body["example"].ShouldNotBeNull($"{name} {status}");
                    continue;
                }
                body.ShouldNotBeNull($"{name} {status}");
                var examples = body["examples"]!.AsObject();
                examples.Count.ShouldBeGreaterThan(0, $"{name} {status}");
                foreach (var (code, example) in examples)
                {
                    ContractCodes[status].ShouldContain(code, $"{name} {status}");
                    example!["value"]!["error"]!["code"]!.GetValue<string>().ShouldBe(code);
                }
            }
        }
    }

    [Test]
    public async Task The_required_fields_of_each_request_body_are_the_ones_the_api_asks_for_when_the_body_is_empty()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var checkedBodies = 0;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is not { } reference)
                    continue;
                var required = schemas[reference.Split('/')[^1]]!["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];

                // Validation comes before any lookup, so an unknown id in the path changes nothing
                // when the body is valid (404) and still shows what the validator demands (400).
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal))
                {
                    Content = Json("{}"),
                };
                using var response = await Client.SendAsync(request);
                if (required.Count == 0)
                {
                    response.StatusCode.ShouldNotBe(System.Net.HttpStatusCode.BadRequest, $"{method} {path}: the API requires fields the schema does not mark required");
                    continue;
                }
                var error = await ShouldBeErrorAsync(response, System.Net.HttpStatusCode.BadRequest, "validation_error");
                error["details"]!.AsObject().Select(d => d.Key).Order(StringComparer.Ordinal)
                    .ShouldBe(required.Order(StringComparer.Ordinal), $"{method} {path}");
                checkedBodies++;
            }
        }
        checkedBodies.ShouldBeGreaterThanOrEqualTo(3);
    }

    [TestCase("status", "#/components/schemas/ConversationStatus")]
    [TestCase("priority", "#/components/schemas/ConversationPriority")]
    [TestCase("channel", "#/components/schemas/ConversationChannel")]
    [TestCase("assignedOperatorId", null)]
    public async Task The_list_filters_are_array_query_parameters_that_say_several_values_are_any_of(string name, string? itemSchema)
    {
        var document = await DocumentAsync();

        var parameter = document["paths"]!["/api/conversations"]!["get"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == name)!;

        parameter["in"]!.GetValue<string>().ShouldBe("query");
        parameter["schema"]!["type"]!.GetValue<string>().ShouldBe("array");
        var items = parameter["schema"]!["items"]!;
        if (itemSchema is null) items["format"]!.GetValue<string>().ShouldBe("uuid");
        else items["$ref"]!.GetValue<string>().ShouldBe(itemSchema);
        parameter["description"]!.GetValue<string>().ShouldContain("any");
    }

    [Test]
    public async Task Swagger_ui_is_served()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/swagger/index.html");

        response.IsSuccessStatusCode.ShouldBeTrue();
    }
}
