using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class CloseTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task Bare_post_with_no_body_and_no_content_type_closes()
    {
        var conversation = await CreateConversationAsync(Org);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{Id(conversation)}/close");
        request.Content.ShouldBeNull();

        using var response = await Client.SendAsync(request);
        var body = await ShouldBeOkAsync(response);

        body["status"]!.GetValue<string>().ShouldBe("closed");
        body["resolvedBy"]!.GetValue<string>().ShouldBe("ai");
        body["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        body["snoozedUntil"].ShouldBeNull();
    }

    [TestCase("application/json")]
    [TestCase("text/plain")]
    public async Task Empty_body_with_any_content_type_closes(string contentType)
    {
        var conversation = await CreateConversationAsync(Org);
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/close", content);

        (await ShouldBeOkAsync(response))["status"]!.GetValue<string>().ShouldBe("closed");
    }

    [Test]
    public async Task Assigned_conversation_closes_as_resolved_by_operator_and_keeps_the_operator()
    {
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);
        await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });

        var closed = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/close", new { });

        closed["resolvedBy"]!.GetValue<string>().ShouldBe("operator");
        closed["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
    }

    [TestCase("operator")]
    [TestCase("ai")]
    [TestCase("visitor")]
    [TestCase("system")]
    public async Task Explicit_resolvedBy_is_kept(string resolvedBy)
    {
        var conversation = await CreateConversationAsync(Org);

        var closed = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/close", new { resolvedBy });

        closed["resolvedBy"]!.GetValue<string>().ShouldBe(resolvedBy);
    }

    [Test]
    public async Task Closing_a_closed_conversation_changes_nothing_and_answers_200()
    {
        var conversation = await CreateConversationAsync(Org);
        var closed = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/close", new { resolvedBy = "visitor" });

        using var again = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/close", new { resolvedBy = "system" });

        Canonical(await ShouldBeOkAsync(again)).ShouldBe(Canonical(closed));
    }

    [TestCase("{\"resolvedBy\":\"nobody\"}", "must be one of: operator, ai, visitor, system")]
    [TestCase("{\"resolvedBy\":1}", "must be one of: operator, ai, visitor, system")]
    public async Task Unknown_resolvedBy_is_400(string body, string message)
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/close", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["resolvedBy"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain(message);
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Conversation_of_another_organization_is_404_and_stays_open()
    {
        var theirs = await CreateConversationAsync(OtherOrg);

        using var response = await Client.PostAsync($"/api/conversations/{Id(theirs)}/close", null);

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
        Canonical(await GetConversationJsonAsync(OtherOrg, Id(theirs))).ShouldBe(Canonical(theirs));
    }

    [Test]
    public async Task If_match_with_a_stale_etag_is_412_and_with_the_current_one_succeeds()
    {
        var conversation = await CreateConversationAsync(Org);
        await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(await CreateOperatorAsync(Org)) });

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{Id(conversation)}/close");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var staleResponse = await Client.SendAsync(stale);
        await ShouldBeErrorAsync(staleResponse, HttpStatusCode.PreconditionFailed, "precondition_failed");

        using var current = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{Id(conversation)}/close");
        current.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        using var currentResponse = await Client.SendAsync(current);
        (await ShouldBeOkAsync(currentResponse))["status"]!.GetValue<string>().ShouldBe("closed");
    }
}
