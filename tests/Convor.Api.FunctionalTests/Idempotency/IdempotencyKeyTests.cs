using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Idempotency;

public sealed class IdempotencyKeyTests(string database) : ApiTestBase(database)
{
    private const string Key = "Idempotency-Key";
    private const string Replayed = "Idempotency-Replayed";

    [Test]
    public async Task Retrying_a_create_with_the_same_key_returns_the_first_response_and_creates_nothing_more()
    {
        var key = NewKey();
        using var first = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"widget","metadata":{"order":1}}""", key);
        var created = await ShouldBeOkAsync(first, HttpStatusCode.Created);

        // Same request, differently spaced: still the same request.
        using var retry = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{ "channel": "widget", "metadata": { "order": 1 } }""", key);
        var replayed = await ShouldBeOkAsync(retry, HttpStatusCode.Created);

        Canonical(replayed).ShouldBe(Canonical(created));
        retry.Headers.GetValues(Replayed).Single().ShouldBe("true");
        first.Headers.Contains(Replayed).ShouldBeFalse();
        retry.Headers.ETag.ShouldBe(first.Headers.ETag);
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        retry.Content.Headers.ContentType!.ToString().ShouldBe(first.Content.Headers.ContentType!.ToString());
        (await CountAsync<Domain.Conversations.Conversation>(Org.OrgId)).ShouldBe(1);
    }

    [Test]
    public async Task Retrying_a_command_with_the_same_key_changes_the_conversation_once()
    {
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);
        var key = NewKey();
        var path = $"/api/conversations/{Id(conversation)}/assign";
        var body = JsonSerializer.Serialize(new { operatorId = Id(op) });

        using var first = await SendAsync(Org, HttpMethod.Post, path, body, key);
        var assigned = await ShouldBeOkAsync(first);
        // Something else changes the conversation in between; the retry must not undo or redo anything.
        await PostAsync(Org, $"/api/conversations/{Id(conversation)}/unassign", new { });
        using var retry = await SendAsync(Org, HttpMethod.Post, path, body, key);

        Canonical(await ShouldBeOkAsync(retry)).ShouldBe(Canonical(assigned));
        (await GetConversationJsonAsync(Org, Id(conversation)))["assignedOperatorId"].ShouldBeNull();
        (await EventTypesAsync(Id(conversation))).ShouldBe(["created", "assigned", "unassigned"]);
    }

    [Test]
    public async Task The_same_key_with_a_different_body_is_idempotency_key_reused_and_runs_nothing()
    {
        var key = NewKey();
        using var first = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"widget"}""", key);
        await ShouldBeOkAsync(first, HttpStatusCode.Created);

        using var other = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"email"}""", key);

        await ShouldBeErrorAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        (await CountAsync<Domain.Conversations.Conversation>(Org.OrgId)).ShouldBe(1);
    }

    [Test]
    public async Task The_same_key_on_another_conversation_is_idempotency_key_reused()
    {
        var one = await CreateConversationAsync(Org);
        var two = await CreateConversationAsync(Org);
        var key = NewKey();
        using var first = await SendAsync(Org, HttpMethod.Post, $"/api/conversations/{Id(one)}/close", null, key);
        await ShouldBeOkAsync(first);

        using var other = await SendAsync(Org, HttpMethod.Post, $"/api/conversations/{Id(two)}/close", null, key);

        await ShouldBeErrorAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        (await GetConversationJsonAsync(Org, Id(two)))["status"]!.GetValue<string>().ShouldBe("open");
    }

    [Test]
    public async Task Keys_belong_to_one_organization()
    {
        var key = NewKey();
        using var mine = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"widget"}""", key);
        var myConversation = await ShouldBeOkAsync(mine, HttpStatusCode.Created);

        using var theirs = await SendAsync(OtherOrg, HttpMethod.Post, "/api/conversations", """{"channel":"widget"}""", key);
        var theirConversation = await ShouldBeOkAsync(theirs, HttpStatusCode.Created);

        theirs.Headers.Contains(Replayed).ShouldBeFalse();
        theirConversation["orgId"]!.GetValue<string>().ShouldBe(OtherOrg.OrgId.ToString("D"));
        Id(theirConversation).ShouldNotBe(Id(myConversation));
    }

    [Test]
    public async Task A_refusal_decided_by_the_data_is_replayed_with_the_retrys_correlation_id()
    {
        var path = $"/api/conversations/{Guid.NewGuid()}/unassign";
        var key = NewKey();
        using var first = await SendAsync(Org, HttpMethod.Post, path, null, key);
        var firstError = await ShouldBeErrorAsync(first, HttpStatusCode.NotFound, "conversation_not_found");

        using var retry = await SendAsync(Org, HttpMethod.Post, path, null, key);
        var retryError = await ShouldBeErrorAsync(retry, HttpStatusCode.NotFound, "conversation_not_found");

        retry.Headers.GetValues(Replayed).Single().ShouldBe("true");
        retryError["message"]!.GetValue<string>().ShouldBe(firstError["message"]!.GetValue<string>());
        retryError["correlationId"]!.GetValue<string>().ShouldNotBe(firstError["correlationId"]!.GetValue<string>());
    }

    [Test]
    public async Task A_request_rejected_as_invalid_leaves_the_key_free_for_the_corrected_request()
    {
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);
        var key = NewKey();
        var path = $"/api/conversations/{Id(conversation)}/assign";

        using var invalid = await SendAsync(Org, HttpMethod.Post, path, """{"operatorId":"not-a-uuid"}""", key);
        await ShouldBeErrorAsync(invalid, HttpStatusCode.BadRequest, "validation_error");
        using var corrected = await SendAsync(Org, HttpMethod.Post, path, JsonSerializer.Serialize(new { operatorId = Id(op) }), key);

        (await ShouldBeOkAsync(corrected))["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
        corrected.Headers.Contains(Replayed).ShouldBeFalse();
    }

    [TestCase("has\u0001control")]
    [TestCase("has\ttab")]
    [TestCase("naïve")]
    public async Task A_malformed_key_is_a_validation_error_naming_the_header(string key)
    {
        using var response = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"widget"}""", key);

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!.AsObject().Select(d => d.Key).ShouldBe(["Idempotency-Key"]);
        (await CountAsync<Domain.Conversations.Conversation>(Org.OrgId)).ShouldBe(0);
    }

    [Test]
    public async Task A_key_longer_than_255_characters_is_a_validation_error_and_255_is_fine()
    {
        using var tooLong = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"widget"}""", new string('k', 256));
        await ShouldBeErrorAsync(tooLong, HttpStatusCode.BadRequest, "validation_error");

        using var longest = await SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"widget"}""", new string('k', 255));
        await ShouldBeOkAsync(longest, HttpStatusCode.Created);
    }

    [Test]
    public async Task Reads_ignore_the_key()
    {
        var conversation = await CreateConversationAsync(Org);
        var key = NewKey();

        using var first = await SendAsync(Org, HttpMethod.Get, $"/api/conversations/{Id(conversation)}", null, key);
        using var second = await SendAsync(Org, HttpMethod.Get, $"/api/conversations/{Id(conversation)}", null, key);

        await ShouldBeOkAsync(first);
        await ShouldBeOkAsync(second);
        second.Headers.Contains(Replayed).ShouldBeFalse();
    }

    [Test]
    public async Task Concurrent_duplicates_run_the_command_exactly_once()
    {
        const int duplicates = 8;
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, duplicates).Select(_ =>
            SendAsync(Org, HttpMethod.Post, "/api/conversations", """{"channel":"api"}""", key)));

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var originals = 0;
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "idempotency_in_progress");
                    response.Headers.GetValues("Retry-After").Single().ShouldBe("1");
                    continue;
                }
                ids.Add(Id(await ShouldBeOkAsync(response, HttpStatusCode.Created)));
                if (!response.Headers.Contains(Replayed)) originals++;
            }
        }

        originals.ShouldBe(1);
        ids.Count.ShouldBe(1);
        (await CountAsync<Domain.Conversations.Conversation>(Org.OrgId)).ShouldBe(1);
    }

    [Test]
    public async Task Concurrent_duplicate_commands_write_one_activity_log_entry()
    {
        const int duplicates = 8;
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);
        var key = NewKey();
        var body = JsonSerializer.Serialize(new { operatorId = Id(op) });

        var responses = await Task.WhenAll(Enumerable.Range(0, duplicates).Select(_ =>
            SendAsync(Org, HttpMethod.Post, $"/api/conversations/{Id(conversation)}/assign", body, key)));

        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Conflict) await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "idempotency_in_progress");
                else await ShouldBeOkAsync(response);
            }
        }
        (await EventTypesAsync(Id(conversation))).ShouldBe(["created", "assigned"]);
    }

    [Test]
    public async Task The_openapi_document_offers_the_key_and_its_answers_on_every_command()
    {
        using var response = await Client.GetAsync("/swagger/v1/swagger.json");
        var document = await ShouldBeOkAsync(response);
        var commands = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(op => op.Key is "post" or "patch").Select(op => (Name: $"{op.Key} {path.Key}", Operation: op.Value!)))
            .ToList();

        commands.ShouldNotBeEmpty();
        foreach (var (name, operation) in commands)
        {
            operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain(Key, name);
            operation["responses"]!.AsObject().Select(r => r.Key).ShouldContain("409", name);
            operation["responses"]!.AsObject().Select(r => r.Key).ShouldContain("422", name);
        }
    }

    [Test]
    public async Task The_same_key_with_another_If_Match_is_idempotency_key_reused_not_the_recorded_412()
    {
        var conversation = await CreateConversationAsync(Org);
        var path = $"/api/conversations/{Id(conversation)}/close";
        var key = NewKey();

        using var stale = await SendAsync(Org, HttpMethod.Post, path, null, key, ifMatch: "\"99\"");
        await ShouldBeErrorAsync(stale, HttpStatusCode.PreconditionFailed, "precondition_failed");

        // The retry fixed its precondition: a different request, not a replay of the 412.
        using var fixedRetry = await SendAsync(Org, HttpMethod.Post, path, null, key, ifMatch: "\"1\"");
        await ShouldBeErrorAsync(fixedRetry, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        (await GetConversationJsonAsync(Org, Id(conversation)))["status"]!.GetValue<string>().ShouldBe("open");
    }

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    private static async Task<HttpResponseMessage> SendAsync(TestOrganization org, HttpMethod method, string path, string? json, string? key, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.TryAddWithoutValidation(Key, key);
        return await org.Client.SendAsync(request);
    }

    private async Task<int> CountAsync<T>(Guid orgId) where T : class
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var org = new OrganizationId(orgId);
        return await db.Set<T>().IgnoreQueryFilters().CountAsync(e => EF.Property<OrganizationId>(e, "OrganizationId") == org);
    }

    private async Task<List<string>> EventTypesAsync(string conversationId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var id = new ConversationId(Guid.Parse(conversationId));
        return await db.ActivityLog.IgnoreQueryFilters().Where(e => e.ConversationId == id)
            .OrderBy(e => e.Version).Select(e => e.Type).ToListAsync();
    }

    private static new string Canonical(JsonNode? node) => ApiFixture.Canonical(node);
}
