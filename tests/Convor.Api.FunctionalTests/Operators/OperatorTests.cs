using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Operators;

public sealed class OperatorTests(string database) : ApiTestBase(database)
{
    private static readonly string[] OperatorFields = ["id", "orgId", "name", "email", "role", "active", "availability", "maxConversations", "openConversations", "createdAt", "updatedAt"];

    [Test]
    public async Task Create_returns_201_with_location_and_the_contract_fields()
    {
        using var response = await Client.PostAsJsonAsync("/api/operators", new { name = "Dana", email = "Dana@Example.test", role = "admin" });
        var body = await ShouldBeOkAsync(response, HttpStatusCode.Created);

        body.Select(p => p.Key).ShouldBe(OperatorFields);
        body["orgId"]!.GetValue<string>().ShouldBe(Org.OrgId.ToString("D"));
        body["role"]!.GetValue<string>().ShouldBe("admin");
        body["active"]!.GetValue<bool>().ShouldBeTrue();
        response.Headers.Location!.ToString().ShouldEndWith($"/api/operators/{Id(body)}");
        Canonical(await ShouldBeOkAsync(await Client.GetAsync($"/api/operators/{Id(body)}"))).ShouldBe(Canonical(body));
    }

    [Test]
    public async Task Duplicate_email_in_the_same_organization_is_409_but_another_organization_may_reuse_it()
    {
        await CreateOperatorAsync(Org, email: "same@example.test");

        using var duplicate = await Client.PostAsJsonAsync("/api/operators", new { name = "Again", email = "SAME@example.test" });
        await ShouldBeErrorAsync(duplicate, HttpStatusCode.Conflict, "operator_email_taken");

        await CreateOperatorAsync(OtherOrg, email: "same@example.test");
    }

    [TestCase("{\"email\":\"a@example.test\"}", "name", "is required")]
    [TestCase("{\"name\":\"A\"}", "email", "is required")]
    [TestCase("{\"name\":\"A\",\"email\":\"not-an-email\"}", "email", "must be an email address")]
    [TestCase("{\"name\":\"A\",\"email\":\"a@example.test\",\"role\":\"boss\"}", "role", "must be one of: agent, admin")]
    [TestCase("{\"name\":42,\"email\":\"a@example.test\"}", "name", "must be a string")]
    [TestCase("{\"name\":\"A\",\"email\":\"a@example.test\",\"active\":\"yes\"}", "active", "must be true or false")]
    public async Task Invalid_operator_is_400_naming_the_field(string body, string field, string message)
    {
        using var response = await Client.PostAsync("/api/operators", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain(message);
    }

    [Test]
    public async Task Operator_of_another_organization_answers_like_an_unknown_id()
    {
        var theirs = await CreateOperatorAsync(OtherOrg);

        using var foreign = await Client.GetAsync($"/api/operators/{Id(theirs)}");
        using var unknown = await Client.GetAsync($"/api/operators/{Guid.NewGuid()}");

        var a = await ShouldBeErrorAsync(foreign, HttpStatusCode.NotFound, "operator_not_found");
        var b = await ShouldBeErrorAsync(unknown, HttpStatusCode.NotFound, "operator_not_found");
        a["message"]!.GetValue<string>().ShouldBe(b["message"]!.GetValue<string>());
    }
}
