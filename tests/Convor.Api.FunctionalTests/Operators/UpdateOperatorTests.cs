using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Operators;

public sealed class UpdateOperatorTests(string database) : LifecycleApiTestBase(database)
{
    [Test]
    public async Task Name_role_and_active_change_and_email_does_not()
    {
        var op = await CreateOperatorAsync(Org);
        Clock.Advance(TimeSpan.FromMinutes(1));

        // email is not a field of the update: refused by name, nothing changes.
        using var withEmail = await PatchAsync(Org, $"/api/operators/{Id(op)}", new { name = "Grace Hopper", email = "changed@example.test" });
        (await ShouldBeErrorAsync(withEmail, System.Net.HttpStatusCode.BadRequest, "validation_error"))["details"]!.ToJsonString()
            .ShouldBe("""{"email":["is not a known field"]}""");

        using var response = await PatchAsync(Org, $"/api/operators/{Id(op)}",
            new { name = "  Grace Hopper ", role = "admin", active = false });
        var body = await ShouldBeOkAsync(response);

        body.Select(p => p.Key).ShouldBe(["id", "orgId", "name", "email", "role", "active", "availability", "maxConversations", "openConversations", "createdAt", "updatedAt"]);
        body["name"]!.GetValue<string>().ShouldBe("Grace Hopper");
        body["role"]!.GetValue<string>().ShouldBe("admin");
        body["active"]!.GetValue<bool>().ShouldBeFalse();
        body["email"]!.GetValue<string>().ShouldBe(op["email"]!.GetValue<string>());
        body["createdAt"]!.GetValue<string>().ShouldBe(op["createdAt"]!.GetValue<string>());
        body["updatedAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
        using var get = await Client.GetAsync($"/api/operators/{Id(op)}");
        Canonical(await ShouldBeOkAsync(get)).ShouldBe(Canonical(body));
    }

    [Test]
    public async Task Absent_fields_stay_and_the_current_values_change_nothing()
    {
        var op = await CreateOperatorAsync(Org);
        Clock.Advance(TimeSpan.FromMinutes(1));

        using var empty = await PatchAsync(Org, $"/api/operators/{Id(op)}", new { });
        using var same = await PatchAsync(Org, $"/api/operators/{Id(op)}", new { name = op["name"]!.GetValue<string>(), role = "agent", active = true });

        Canonical(await ShouldBeOkAsync(empty)).ShouldBe(Canonical(op));
        Canonical(await ShouldBeOkAsync(same)).ShouldBe(Canonical(op));
    }

    [Test]
    public async Task A_deactivated_operator_can_no_longer_be_assigned_but_keeps_its_conversations()
    {
        var op = await CreateOperatorAsync(Org);
        var kept = await CreateConversationAsync(Org);
        await PostAsync(Org, $"/api/conversations/{Id(kept)}/assign", new { operatorId = Id(op) });
        var other = await CreateConversationAsync(Org);

        (await PatchAsync(Org, $"/api/operators/{Id(op)}", new { active = false })).Dispose();
        using var assign = await Client.PostAsJsonAsync($"/api/conversations/{Id(other)}/assign", new { operatorId = Id(op) });

        await ShouldBeErrorAsync(assign, HttpStatusCode.UnprocessableEntity, "operator_inactive");
        (await GetConversationJsonAsync(Org, Id(kept)))["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
        Ids(await ListAsync(Org, $"assignedOperatorId={Id(op)}")).ShouldBe([Id(kept)]);
    }

    [TestCase("""{"name":""}""", "name", "must not be blank")]
    [TestCase("""{"name":"   "}""", "name", "must not be blank")]
    [TestCase("""{"name":42}""", "name", "must be a string")]
    [TestCase("""{"role":"owner"}""", "role", "must be one of: agent, admin")]
    [TestCase("""{"active":"no"}""", "active", "must be true or false")]
    public async Task A_malformed_field_is_400_and_changes_nothing(string json, string field, string message)
    {
        var op = await CreateOperatorAsync(Org);

        using var response = await Client.PatchAsync($"/api/operators/{Id(op)}", Json(json));

        await ShouldBeValidationErrorOnAsync(response, field, message);
        using var get = await Client.GetAsync($"/api/operators/{Id(op)}");
        Canonical(await ShouldBeOkAsync(get)).ShouldBe(Canonical(op));
    }

    [Test]
    public async Task Another_organizations_operator_answers_like_an_unknown_one_and_stays_unchanged()
    {
        var theirs = await CreateOperatorAsync(OtherOrg);

        using var foreignPatch = await PatchAsync(Org, $"/api/operators/{Id(theirs)}", new { name = "Taken over", active = false });
        using var unknownPatch = await PatchAsync(Org, $"/api/operators/{Guid.NewGuid()}", new { name = "Taken over", active = false });
        using var foreignGet = await Client.GetAsync($"/api/operators/{Id(theirs)}");

        var foreignError = await ShouldBeErrorAsync(foreignPatch, HttpStatusCode.NotFound, "operator_not_found");
        var unknownError = await ShouldBeErrorAsync(unknownPatch, HttpStatusCode.NotFound, "operator_not_found");
        foreignError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        await ShouldBeErrorAsync(foreignGet, HttpStatusCode.NotFound, "operator_not_found");
        using var ownerGet = await OtherOrg.Client.GetAsync($"/api/operators/{Id(theirs)}");
        Canonical(await ShouldBeOkAsync(ownerGet)).ShouldBe(Canonical(theirs));
    }

    [Test]
    public async Task A_key_without_operators_write_is_403()
    {
        var op = await CreateOperatorAsync(Org);
        var reader = await Factory.CreateKeyAsync(Org.OrgId, "operators:read");

        using var response = await PatchAsync(reader, $"/api/operators/{Id(op)}", new { name = "x" });

        await ShouldBeErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Test]
    public async Task A_duplicate_email_in_the_organization_is_409_operator_email_taken_but_another_organization_may_use_it()
    {
        await CreateOperatorAsync(Org, email: "same@example.test");

        using var duplicate = await Client.PostAsJsonAsync("/api/operators", new { name = "Twin", email = "SAME@example.test" });
        var elsewhere = await CreateOperatorAsync(OtherOrg, email: "same@example.test");

        await ShouldBeErrorAsync(duplicate, HttpStatusCode.Conflict, "operator_email_taken");
        elsewhere["email"]!.GetValue<string>().ShouldBe("same@example.test");
    }
}
