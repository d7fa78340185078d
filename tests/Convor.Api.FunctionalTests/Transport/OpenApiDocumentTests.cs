using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Transport;

public sealed class OpenApiDocumentTests(string database) : ApiTestBase(database)
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

    [Test]
    public async Task Swagger_ui_is_served()
    {
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync("/swagger/index.html");

        response.IsSuccessStatusCode.ShouldBeTrue();
    }
}
