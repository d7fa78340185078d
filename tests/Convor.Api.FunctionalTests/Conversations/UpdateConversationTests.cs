using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class UpdateConversationTests(string database) : LifecycleApiTestBase(database)
{
    private static string PathOf(JsonObject conversation) => $"/api/conversations/{Id(conversation)}";

    [Test]
    public async Task Priority_changes_and_is_logged_with_before_and_after()
    {
        var key = await KeyOfOrgAsync();
        var conversation = await CreateConversationAsync(Org);
        Clock.Advance(TimeSpan.FromSeconds(5));

        using var response = await PatchAsync(key, PathOf(conversation), new { priority = "urgent" });
        var body = await ShouldBeOkAsync(response);

        body["priority"]!.GetValue<string>().ShouldBe("urgent");
        body["updatedAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        var changed = (await EventsAsync(Org, Id(conversation)))[^1]!;
        changed["type"]!.GetValue<string>().ShouldBe("priority_changed");
        changed["actor"]!.GetValue<string>().ShouldBe($"apiKey:{key.KeyId}");
        Canonical(changed["data"]).ShouldBe("""{"before":{"priority":"normal"},"after":{"priority":"urgent"}}""");
    }

    [Test]
    public async Task Metadata_is_replaced_as_sent_and_the_search_vector_follows()
    {
        var conversation = await CreateConversationAsync(Org, new { channel = "email", metadata = new { subject = "Old" } });

        using var response = await Client.PatchAsync(PathOf(conversation),
            Json("""{"metadata":{"subject":"Remboursement de Zoë","tags":["VIP","vip"],"order":{"id":"A-17","total":12}}}"""));
        var body = await ShouldBeOkAsync(response);

        Canonical(body["metadata"]).ShouldBe(Canonical(JsonNode.Parse("""{"subject":"Remboursement de Zoë","tags":["VIP","vip"],"order":{"id":"A-17","total":12}}""")));
        body["searchVector"]!.GetValue<string>().ShouldBe("remboursement de zoe vip a 17");
        var changed = (await EventsAsync(Org, Id(conversation)))[^1]!;
        changed["type"]!.GetValue<string>().ShouldBe("metadata_changed");
        changed["data"]!["before"]!["metadata"]!["subject"]!.GetValue<string>().ShouldBe("Old");
        changed["data"]!["after"]!["metadata"]!["order"]!["id"]!.GetValue<string>().ShouldBe("A-17");
    }

    [Test]
    public async Task Both_fields_at_once_are_two_log_entries_and_one_response()
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await PatchAsync(Org, PathOf(conversation), new { priority = "low", metadata = new { topic = "billing" } });
        var body = await ShouldBeOkAsync(response);

        body["priority"]!.GetValue<string>().ShouldBe("low");
        body["searchVector"]!.GetValue<string>().ShouldBe("billing");
        Types(await EventsAsync(Org, Id(conversation))).ShouldBe(["created", "priority_changed", "metadata_changed"]);
    }

    [Test]
    public async Task The_current_values_change_nothing_and_log_nothing()
    {
        var conversation = await CreateConversationAsync(Org, new { channel = "widget", priority = "high", metadata = new { a = "b" } });
        Clock.Advance(TimeSpan.FromMinutes(1));

        using var response = await PatchAsync(Org, PathOf(conversation), new { priority = "high", metadata = new { a = "b" } });
        var body = await ShouldBeOkAsync(response);

        Canonical(body).ShouldBe(Canonical(conversation));
        Types(await EventsAsync(Org, Id(conversation))).ShouldBe(["created"]);
    }

    [Test]
    public async Task An_empty_patch_and_null_fields_leave_everything_as_it_is()
    {
        var conversation = await CreateConversationAsync(Org, new { channel = "api", metadata = new { a = "b" } });

        using var empty = await Client.PatchAsync(PathOf(conversation), Json("{}"));
        using var nulls = await Client.PatchAsync(PathOf(conversation), Json("""{"priority":null,"metadata":null}"""));

        Canonical(await ShouldBeOkAsync(empty)).ShouldBe(Canonical(conversation));
        Canonical(await ShouldBeOkAsync(nulls)).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task A_closed_conversation_can_still_be_triaged()
    {
        var conversation = await CreateConversationAsync(Org);
        await CloseAsync(Org, Id(conversation));

        using var response = await PatchAsync(Org, PathOf(conversation), new { priority = "high", metadata = new { csat = "5" } });
        var body = await ShouldBeOkAsync(response);

        body["status"]!.GetValue<string>().ShouldBe("closed");
        body["priority"]!.GetValue<string>().ShouldBe("high");
    }

    [TestCase("""{"priority":"critical"}""", "priority")]
    [TestCase("""{"priority":2}""", "priority")]
    [TestCase("""{"metadata":[1,2]}""", "metadata")]
    [TestCase("""{"metadata":"text"}""", "metadata")]
    [TestCase("{\"priority\":\"high\"", "body")]
    public async Task A_malformed_field_is_400_on_that_field(string json, string field)
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PatchAsync(PathOf(conversation), Json(json));

        await ShouldBeValidationErrorOnAsync(response, field);
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Metadata_over_16_KiB_is_400()
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await PatchAsync(Org, PathOf(conversation), new { metadata = new { blob = new string('x', 16 * 1024) } });

        await ShouldBeValidationErrorOnAsync(response, "metadata");
    }

    [Test]
    public async Task A_stale_if_match_is_412()
    {
        var conversation = await CreateConversationAsync(Org);
        await PatchAsync(Org, PathOf(conversation), new { priority = "low" });
        using var request = new HttpRequestMessage(HttpMethod.Patch, PathOf(conversation)) { Content = Json("""{"priority":"high"}""") };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));

        using var response = await Client.SendAsync(request);

        await ShouldBeErrorAsync(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        (await GetConversationJsonAsync(Org, Id(conversation)))["priority"]!.GetValue<string>().ShouldBe("low");
    }

    [Test]
    public async Task An_unknown_conversation_is_404()
    {
        using var response = await PatchAsync(Org, $"/api/conversations/{Guid.NewGuid()}", new { priority = "low" });

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
    }

    [Test]
    public async Task A_bad_uuid_in_the_path_is_400()
    {
        using var response = await PatchAsync(Org, "/api/conversations/not-a-uuid", new { priority = "low" });

        await ShouldBeValidationErrorOnAsync(response, "id", "must be a UUID");
    }
}
