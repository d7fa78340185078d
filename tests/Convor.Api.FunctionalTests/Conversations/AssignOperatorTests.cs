using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class AssignOperatorTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task Assign_sets_operator_and_hands_over_from_ai()
    {
        var conversation = await CreateConversationAsync(Org);
        conversation["aiActive"]!.GetValue<bool>().ShouldBeTrue();
        var op = await CreateOperatorAsync(Org);

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });
        var body = await ShouldBeOkAsync(response);

        body["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
        body["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        body["status"]!.GetValue<string>().ShouldBe("open");
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(body));
    }

    [Test]
    public async Task Assigning_the_assigned_operator_again_changes_nothing()
    {
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);
        var first = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });

        using var again = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });
        var second = await ShouldBeOkAsync(again);

        Canonical(second).ShouldBe(Canonical(first));
        again.Headers.ETag!.Tag.ShouldBe("\"2\"");
    }

    [Test]
    public async Task Reassigning_to_another_operator_moves_updatedAt()
    {
        var conversation = await CreateConversationAsync(Org);
        var first = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(await CreateOperatorAsync(Org)) });
        var other = await CreateOperatorAsync(Org);

        var second = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(other) });

        second["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(other));
        DateTimeOffset.Parse(second["updatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThanOrEqualTo(DateTimeOffset.Parse(first["updatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task Closed_conversation_is_409_conversation_closed_and_unchanged()
    {
        var conversation = await CreateConversationAsync(Org);
        var closed = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/close", new { });
        var op = await CreateOperatorAsync(Org);

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "conversation_closed");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(closed));
    }

    [Test]
    public async Task Inactive_operator_is_422_operator_inactive()
    {
        var conversation = await CreateConversationAsync(Org);
        var inactive = await CreateOperatorAsync(Org, active: false);

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(inactive) });

        await ShouldBeErrorAsync(response, HttpStatusCode.UnprocessableEntity, "operator_inactive");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Operator_of_another_organization_answers_like_an_unknown_operator()
    {
        var conversation = await CreateConversationAsync(Org);
        var theirs = await CreateOperatorAsync(OtherOrg);

        using var foreign = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(theirs) });
        using var unknown = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Guid.NewGuid() });

        var foreignError = await ShouldBeErrorAsync(foreign, HttpStatusCode.UnprocessableEntity, "invalid_operator");
        var unknownError = await ShouldBeErrorAsync(unknown, HttpStatusCode.UnprocessableEntity, "invalid_operator");
        foreignError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Conversation_of_another_organization_answers_like_an_unknown_conversation_and_is_unchanged()
    {
        var theirs = await CreateConversationAsync(OtherOrg);
        var mine = await CreateOperatorAsync(Org);

        using var foreign = await Client.PostAsJsonAsync($"/api/conversations/{Id(theirs)}/assign", new { operatorId = Id(mine) });
        using var unknown = await Client.PostAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/assign", new { operatorId = Id(mine) });

        var foreignError = await ShouldBeErrorAsync(foreign, HttpStatusCode.NotFound, "conversation_not_found");
        var unknownError = await ShouldBeErrorAsync(unknown, HttpStatusCode.NotFound, "conversation_not_found");
        foreignError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        Canonical(await GetConversationJsonAsync(OtherOrg, Id(theirs))).ShouldBe(Canonical(theirs));
    }

    [TestCase("{\"operatorId\":\"not-a-uuid\"}", "operatorId", "must be a UUID")]
    [TestCase("{\"operatorId\":42}", "operatorId", "must be a UUID")]
    [TestCase("{}", "operatorId", "is required")]
    [TestCase("{\"operatorId\":null}", "operatorId", "is required")]
    [TestCase("{\"operatorId\":", "body", "is not valid JSON")]
    [TestCase("[]", "body", "must be a JSON object")]
    public async Task Bad_body_is_400_validation_error_naming_the_field(string body, string field, string message)
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/assign", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain(message);
    }

    [Test]
    public async Task Bad_uuid_in_the_path_is_400_validation_error()
    {
        using var response = await Client.PostAsJsonAsync("/api/conversations/123/assign", new { operatorId = Guid.NewGuid() });

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["id"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain("must be a UUID");
    }

    [Test]
    public async Task Missing_body_is_400_and_text_body_is_415()
    {
        var conversation = await CreateConversationAsync(Org);

        using var bare = await Client.PostAsync($"/api/conversations/{Id(conversation)}/assign", null);
        using var text = await Client.PostAsync($"/api/conversations/{Id(conversation)}/assign",
            new StringContent("operatorId=1", System.Text.Encoding.UTF8, "text/plain"));

        await ShouldBeErrorAsync(bare, HttpStatusCode.BadRequest, "validation_error");
        await ShouldBeErrorAsync(text, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }
}
