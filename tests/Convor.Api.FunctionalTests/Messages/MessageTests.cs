using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.ApiKeys;

namespace Convor.Api.FunctionalTests.Messages;

/// <summary>Section 7 of the contract through HTTP: posting and listing messages, every rule and every bad input.</summary>
public sealed class MessageTests(string database) : LifecycleApiTestBase(database)
{
    private static string MessagesOf(string conversationId) => $"/api/conversations/{conversationId}/messages";

    private static async Task<HttpResponseMessage> SendMessageAsync(TestOrganization org, string conversationId, object body) =>
        await org.Client.PostAsJsonAsync(MessagesOf(conversationId), body);

    private static Task<JsonObject> AddMessageAsync(TestOrganization org, string conversationId, object body) =>
        PostAsync(org, MessagesOf(conversationId), body, HttpStatusCode.Created);

    private static async Task<HttpResponseMessage> SendRawAsync(TestOrganization org, string conversationId, string json) =>
        await org.Client.PostAsync(MessagesOf(conversationId), Json(json));

    private static async Task<JsonArray> AllMessagesAsync(TestOrganization org, string conversationId)
    {
        var page = await ShouldBeOkAsync(await org.Client.GetAsync(MessagesOf(conversationId) + "?limit=100"));
        page["nextCursor"].ShouldBeNull();
        return page["data"]!.AsArray();
    }

    [Test]
    public async Task A_message_answers_201_with_its_six_fields_and_a_location_that_reads_it_back()
    {
        var conversation = Id(await CreateConversationAsync(Org));

        using var response = await SendMessageAsync(Org, conversation, new { author = "visitor", body = "Where is my parcel?\n\tOrder A-17" });

        var message = await ShouldBeOkAsync(response, HttpStatusCode.Created);
        message.Select(p => p.Key).ShouldBe(["id", "conversationId", "author", "operatorId", "body", "createdAt"]);
        message["conversationId"]!.GetValue<string>().ShouldBe(conversation);
        message["author"]!.GetValue<string>().ShouldBe("visitor");
        message["operatorId"].ShouldBeNull();
        message.ContainsKey("operatorId").ShouldBeTrue();
        message["body"]!.GetValue<string>().ShouldBe("Where is my parcel?\n\tOrder A-17");
        message["createdAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
        response.Headers.Location!.ToString().ShouldEndWith($"/api/conversations/{conversation}/messages/{Id(message)}");

        var readBack = await ShouldBeOkAsync(await Client.GetAsync(response.Headers.Location));
        Canonical(readBack).ShouldBe(Canonical(message));
    }

    [Test]
    public async Task A_message_moves_last_message_at_updated_at_and_the_version_and_logs_one_message_added_without_the_body()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var message = await AddMessageAsync(Org, conversation, new { author = "ai", body = "Secret words of the visitor" });

        using var get = await Client.GetAsync($"/api/conversations/{conversation}");
        var after = await ShouldBeOkAsync(get);
        after["lastMessageAt"]!.GetValue<string>().ShouldBe(message["createdAt"]!.GetValue<string>());
        after["updatedAt"]!.GetValue<string>().ShouldBe(Stamp(Now));
        get.Headers.ETag!.Tag.ShouldBe("\"2\"");
        var events = await EventsAsync(Org, conversation);
        Types(events).ShouldBe(["created", "message_added"]);
        var data = events[1]!["data"]!.AsObject();
        Canonical(data).ShouldBe(Canonical(new JsonObject { ["messageId"] = Id(message), ["author"] = "ai" }));
        events[1]!.ToJsonString().ShouldNotContain("Secret");
        events[1]!["actor"]!.GetValue<string>().ShouldStartWith("apiKey:");
    }

    [Test]
    public async Task Messages_list_oldest_first_in_pages_that_follow_the_cursor()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Id(await AddMessageAsync(Org, conversation, new { author = i % 2 == 0 ? "visitor" : "ai", body = $"message {i}" })));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ShouldBeOkAsync(await Client.GetAsync(MessagesOf(conversation) + "?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            seen.AddRange(page["data"]!.AsArray().Select(m => Id(m!.AsObject())));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        seen.ShouldBe(ids);
        pages.ShouldBe(3);
        (await AllMessagesAsync(Org, conversation)).Select(m => m!["body"]!.GetValue<string>()).ShouldBe(Enumerable.Range(0, 5).Select(i => $"message {i}"));
    }

    [Test]
    public async Task A_conversation_without_messages_lists_an_empty_page()
    {
        var conversation = Id(await CreateConversationAsync(Org));

        (await AllMessagesAsync(Org, conversation)).ShouldBeEmpty();
    }

    [TestCase("limit=0")]
    [TestCase("limit=101")]
    [TestCase("limit=abc")]
    [TestCase("cursor=garbage")]
    public async Task A_bad_limit_or_cursor_is_a_validation_error(string query)
    {
        var conversation = Id(await CreateConversationAsync(Org));

        using var response = await Client.GetAsync(MessagesOf(conversation) + "?" + query);

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
    }

    [Test]
    public async Task A_cursor_of_another_conversation_or_of_its_activity_log_is_refused()
    {
        var first = Id(await CreateConversationAsync(Org));
        var second = Id(await CreateConversationAsync(Org));
        for (var i = 0; i < 2; i++)
        {
            await AddMessageAsync(Org, first, new { author = "visitor", body = $"m{i}" });
            await AddMessageAsync(Org, second, new { author = "visitor", body = $"m{i}" });
        }
        var firstPage = await ShouldBeOkAsync(await Client.GetAsync(MessagesOf(first) + "?limit=1"));
        var eventsPage = await ShouldBeOkAsync(await Client.GetAsync($"/api/conversations/{second}/events?limit=1"));

        await ShouldBeValidationErrorOnAsync(await Client.GetAsync(MessagesOf(second) + "?cursor=" + Uri.EscapeDataString(firstPage["nextCursor"]!.GetValue<string>())), "cursor");
        await ShouldBeValidationErrorOnAsync(await Client.GetAsync(MessagesOf(second) + "?cursor=" + Uri.EscapeDataString(eventsPage["nextCursor"]!.GetValue<string>())), "cursor");
    }

    [Test]
    public async Task The_ai_may_not_write_after_a_human_took_over_and_nothing_changes()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = Id(await CreateOperatorAsync(Org)) });
        var before = await GetConversationJsonAsync(Org, conversation);

        using var response = await SendMessageAsync(Org, conversation, new { author = "ai", body = "Can I still help?" });

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "ai_not_active");
        Canonical(await GetConversationJsonAsync(Org, conversation)).ShouldBe(Canonical(before));
        (await AllMessagesAsync(Org, conversation)).ShouldBeEmpty();
    }

    [Test]
    public async Task An_operator_writing_in_an_unassigned_conversation_takes_it_with_assigned_then_message_added()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var @operator = Id(await CreateOperatorAsync(Org));

        var message = await AddMessageAsync(Org, conversation, new { author = "operator", operatorId = @operator, body = "Dana here." });

        message["operatorId"]!.GetValue<string>().ShouldBe(@operator);
        var after = await GetConversationJsonAsync(Org, conversation);
        after["assignedOperatorId"]!.GetValue<string>().ShouldBe(@operator);
        after["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        var events = await EventsAsync(Org, conversation);
        Types(events).ShouldBe(["created", "assigned", "message_added"]);
        events[1]!["data"]!["after"]!["assignedOperatorId"]!.GetValue<string>().ShouldBe(@operator);
    }

    [Test]
    public async Task The_assigned_operator_writes_without_a_new_assignment()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var @operator = Id(await CreateOperatorAsync(Org));
        await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = @operator });

        await AddMessageAsync(Org, conversation, new { author = "operator", operatorId = @operator, body = "Still here." });

        Types(await EventsAsync(Org, conversation)).ShouldBe(["created", "assigned", "message_added"]);
    }

    [Test]
    public async Task An_operator_may_not_write_in_a_conversation_another_operator_holds()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = Id(await CreateOperatorAsync(Org)) });
        var before = await GetConversationJsonAsync(Org, conversation);

        using var response = await SendMessageAsync(Org, conversation, new { author = "operator", operatorId = Id(await CreateOperatorAsync(Org)), body = "Mine?" });

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "operator_not_assigned");
        Canonical(await GetConversationJsonAsync(Org, conversation)).ShouldBe(Canonical(before));
    }

    [Test]
    public async Task A_visitor_reply_reopens_a_closed_conversation_with_a_reopened_entry_by_the_key()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await CloseAsync(Org, conversation);

        await AddMessageAsync(Org, conversation, new { author = "visitor", body = "It broke again." });

        var after = await GetConversationJsonAsync(Org, conversation);
        after["status"]!.GetValue<string>().ShouldBe("open");
        after["resolvedBy"].ShouldBeNull();
        var events = await EventsAsync(Org, conversation);
        Types(events).ShouldBe(["created", "closed", "reopened", "message_added"]);
        events[2]!["actor"]!.GetValue<string>().ShouldBe(events[1]!["actor"]!.GetValue<string>());
    }

    [Test]
    public async Task A_visitor_reply_reopens_a_snoozed_conversation()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await SnoozeAsync(Org, conversation, Now.AddHours(1));

        await AddMessageAsync(Org, conversation, new { author = "visitor", body = "Any news?" });

        var after = await GetConversationJsonAsync(Org, conversation);
        after["status"]!.GetValue<string>().ShouldBe("open");
        after["snoozedUntil"].ShouldBeNull();
        Types(await EventsAsync(Org, conversation)).ShouldBe(["created", "snoozed", "reopened", "message_added"]);
    }

    [TestCase("ai")]
    [TestCase("system")]
    [TestCase("operator")]
    public async Task Nobody_but_the_visitor_writes_in_a_closed_conversation(string author)
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await CloseAsync(Org, conversation);
        var before = await GetConversationJsonAsync(Org, conversation);
        object body = author == "operator"
            ? new { author, operatorId = Id(await CreateOperatorAsync(Org)), body = "Hello?" }
            : new { author, body = "Hello?" };

        using var response = await SendMessageAsync(Org, conversation, body);

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "conversation_closed");
        Canonical(await GetConversationJsonAsync(Org, conversation)).ShouldBe(Canonical(before));
        (await AllMessagesAsync(Org, conversation)).ShouldBeEmpty();
    }

    [Test]
    public async Task Another_organizations_conversation_answers_exactly_like_an_unknown_one_and_gains_no_message()
    {
        var theirs = Id(await CreateConversationAsync(OtherOrg));
        var unknown = Guid.NewGuid().ToString("D");

        foreach (var send in new Func<string, Task<HttpResponseMessage>>[]
        {
            id => SendMessageAsync(Org, id, new { author = "visitor", body = "Hello" }),
            id => Client.GetAsync(MessagesOf(id)),
            id => Client.GetAsync(MessagesOf(id) + "/" + Guid.NewGuid().ToString("D")),
        })
        {
            using var theirAnswer = await send(theirs);
            using var unknownAnswer = await send(unknown);
            var theirError = await ShouldBeErrorAsync(theirAnswer, HttpStatusCode.NotFound, "conversation_not_found");
            var unknownError = await ShouldBeErrorAsync(unknownAnswer, HttpStatusCode.NotFound, "conversation_not_found");
            theirError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        }
        (await AllMessagesAsync(OtherOrg, theirs)).ShouldBeEmpty();
    }

    [Test]
    public async Task Another_conversations_message_is_not_found_in_this_one()
    {
        var mine = Id(await CreateConversationAsync(Org));
        var other = Id(await CreateConversationAsync(Org));
        var message = await AddMessageAsync(Org, other, new { author = "visitor", body = "Hi" });

        using var response = await Client.GetAsync(MessagesOf(mine) + "/" + Id(message));

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task An_operator_of_another_organization_answers_exactly_like_an_unknown_operator()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var theirOperator = Id(await CreateOperatorAsync(OtherOrg));

        using var theirs = await SendMessageAsync(Org, conversation, new { author = "operator", operatorId = theirOperator, body = "Hi" });
        using var unknown = await SendMessageAsync(Org, conversation, new { author = "operator", operatorId = Guid.NewGuid(), body = "Hi" });

        var theirError = await ShouldBeErrorAsync(theirs, HttpStatusCode.UnprocessableEntity, "invalid_operator");
        var unknownError = await ShouldBeErrorAsync(unknown, HttpStatusCode.UnprocessableEntity, "invalid_operator");
        theirError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        (await GetConversationJsonAsync(Org, conversation))["assignedOperatorId"].ShouldBeNull();
        (await AllMessagesAsync(Org, conversation)).ShouldBeEmpty();
    }

    [Test]
    public async Task An_inactive_operator_may_not_write()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var inactive = Id(await CreateOperatorAsync(Org, active: false));

        using var response = await SendMessageAsync(Org, conversation, new { author = "operator", operatorId = inactive, body = "Hi" });

        await ShouldBeErrorAsync(response, HttpStatusCode.UnprocessableEntity, "operator_inactive");
        (await GetConversationJsonAsync(Org, conversation))["assignedOperatorId"].ShouldBeNull();
    }

    [TestCase("""{"body":"Hi"}""", "author")]
    [TestCase("""{"author":"robot","body":"Hi"}""", "author")]
    [TestCase("""{"author":"visitor"}""", "body")]
    [TestCase("""{"author":"visitor","body":""}""", "body")]
    [TestCase("""{"author":"visitor","body":null}""", "body")]
    [TestCase("""{"author":"visitor","body":42}""", "body")]
    [TestCase("""{"author":"visitor","body":"a\u0000b"}""", "body")]
    [TestCase("""{"author":"visitor","body":"bell\u0007"}""", "body")]
    [TestCase("""{"author":"visitor","body":"line\r\nbreak"}""", "body")]
    [TestCase("""{"author":"visitor","body":"c1\u0085"}""", "body")]
    [TestCase("""{"author":"visitor","body":"lone \uD800 high"}""", "body")]
    [TestCase("""{"author":"visitor","body":"lone \uDC00 low"}""", "body")]
    [TestCase("""{"author":"operator","body":"Hi"}""", "operatorId")]
    [TestCase("""{"author":"operator","operatorId":"not-a-uuid","body":"Hi"}""", "operatorId")]
    [TestCase("""{"author":"operator","operatorId":"00000000-0000-0000-0000-000000000000","body":"Hi"}""", "operatorId")]
    [TestCase("""{"author":"visitor","operatorId":"0193a5b2-7f20-7c03-95a6-b7c8d9e0f1a2","body":"Hi"}""", "operatorId")]
    [TestCase("""{"author":"ai","operatorId":"0193a5b2-7f20-7c03-95a6-b7c8d9e0f1a2","body":"Hi"}""", "operatorId")]
    [TestCase("""{"author":"system","operatorId":"0193a5b2-7f20-7c03-95a6-b7c8d9e0f1a2","body":"Hi"}""", "operatorId")]
    public async Task A_bad_message_is_a_validation_error_on_its_field_and_changes_nothing(string json, string field)
    {
        var conversation = Id(await CreateConversationAsync(Org));
        var before = await GetConversationJsonAsync(Org, conversation);

        using var response = await SendRawAsync(Org, conversation, json);

        await ShouldBeValidationErrorOnAsync(response, field);
        Canonical(await GetConversationJsonAsync(Org, conversation)).ShouldBe(Canonical(before));
        (await AllMessagesAsync(Org, conversation)).ShouldBeEmpty();
    }

    [Test]
    public async Task A_body_is_measured_in_characters_up_to_ten_thousand()
    {
        var conversation = Id(await CreateConversationAsync(Org));

        using var tooLong = await SendMessageAsync(Org, conversation, new { author = "visitor", body = new string('x', 10_001) });
        await ShouldBeValidationErrorOnAsync(tooLong, "body", "must be between 1 and 10000 characters");

        await AddMessageAsync(Org, conversation, new { author = "visitor", body = new string('x', 10_000) });
        // An emoji is one character (two UTF-16 code units): 10,000 of them fit. Sent as raw
        // UTF-8 (40 KB): escaped as \uXXXX pairs they would pass the 64 KiB body limit.
        var emoji = string.Concat(Enumerable.Repeat("😀", 10_000));
        var message = await ShouldBeOkAsync(await SendRawAsync(Org, conversation, $$"""{"author":"visitor","body":"{{emoji}}"}"""), HttpStatusCode.Created);
        message["body"]!.GetValue<string>().ShouldBe(emoji);
    }

    [Test]
    public async Task Text_in_any_script_comes_back_exactly_as_sent()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        const string Body = "Zoë: 你好 👋🏽 مرحبا \"quoted\" <b>not html</b>\n\tindented";

        var message = await AddMessageAsync(Org, conversation, new { author = "visitor", body = Body });

        message["body"]!.GetValue<string>().ShouldBe(Body);
        (await AllMessagesAsync(Org, conversation))[0]!["body"]!.GetValue<string>().ShouldBe(Body);
    }

    [Test]
    public async Task If_match_must_name_the_conversations_current_version()
    {
        var conversation = Id(await CreateConversationAsync(Org));

        using var stale = new HttpRequestMessage(HttpMethod.Post, MessagesOf(conversation)) { Content = JsonContent.Create(new { author = "visitor", body = "Hi" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        await ShouldBeErrorAsync(await Client.SendAsync(stale), HttpStatusCode.PreconditionFailed, "precondition_failed");

        using var current = new HttpRequestMessage(HttpMethod.Post, MessagesOf(conversation)) { Content = JsonContent.Create(new { author = "visitor", body = "Hi" }) };
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await ShouldBeOkAsync(await Client.SendAsync(current), HttpStatusCode.Created);
        (await AllMessagesAsync(Org, conversation)).Count.ShouldBe(1);
    }

    [Test]
    public async Task A_retry_with_the_same_idempotency_key_replays_the_answer_and_stores_one_message()
    {
        var conversation = Id(await CreateConversationAsync(Org));

        async Task<HttpResponseMessage> SendAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, MessagesOf(conversation)) { Content = JsonContent.Create(new { author = "visitor", body }) };
            request.Headers.Add("Idempotency-Key", "message-retry-1");
            return await Client.SendAsync(request);
        }

        using var first = await SendAsync("Only once");
        using var retry = await SendAsync("Only once");
        using var different = await SendAsync("Something else");

        var firstMessage = await ShouldBeOkAsync(first, HttpStatusCode.Created);
        Canonical(await ShouldBeOkAsync(retry, HttpStatusCode.Created)).ShouldBe(Canonical(firstMessage));
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        await ShouldBeErrorAsync(different, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        (await AllMessagesAsync(Org, conversation)).Count.ShouldBe(1);
        Types(await EventsAsync(Org, conversation)).Count(t => t == "message_added").ShouldBe(1);
    }

    [Test]
    public async Task Posting_needs_conversations_write_and_listing_conversations_read()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await AddMessageAsync(Org, conversation, new { author = "visitor", body = "Hi" });
        var reader = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsRead);
        var writer = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsWrite);

        await ShouldBeErrorAsync(await SendMessageAsync(reader, conversation, new { author = "visitor", body = "Hi" }), HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeOkAsync(await reader.Client.GetAsync(MessagesOf(conversation)));
        await ShouldBeErrorAsync(await writer.Client.GetAsync(MessagesOf(conversation)), HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeOkAsync(await SendMessageAsync(writer, conversation, new { author = "visitor", body = "Hi" }), HttpStatusCode.Created);
    }

    [Test]
    public async Task The_list_puts_the_conversation_with_the_newest_message_first_and_q_finds_what_the_visitor_wrote()
    {
        var quiet = Id(await CreateConversationAsync(Org, new { channel = "widget", metadata = new { subject = "Billing" } }));
        var talking = Id(await CreateConversationAsync(Org, new { channel = "widget", metadata = new { subject = "Delivery" } }));
        await AddMessageAsync(Org, quiet, new { author = "visitor", body = "Quick question" });
        Clock.Advance(TimeSpan.FromMinutes(1));
        await AddMessageAsync(Org, talking, new { author = "visitor", body = "Mon colis est arrivé abîmé" });

        Ids(await ListAsync(Org)).ShouldBe([talking, quiet]);
        Ids(await ListAsync(Org, "q=abime")).ShouldBe([talking]);
        Ids(await ListAsync(Org, "q=delivery%20colis")).ShouldBe([talking]);
        (await GetConversationJsonAsync(Org, talking))["searchVector"]!.GetValue<string>().ShouldBe("delivery mon colis est arrive abime");
    }

    [Test]
    public async Task Replacing_the_metadata_keeps_the_message_words_searchable()
    {
        var conversation = Id(await CreateConversationAsync(Org, new { channel = "widget", metadata = new { subject = "Old" } }));
        await AddMessageAsync(Org, conversation, new { author = "visitor", body = "refund please" });

        await PatchAsync(Org, $"/api/conversations/{conversation}", new { metadata = new { subject = "New" } });

        (await GetConversationJsonAsync(Org, conversation))["searchVector"]!.GetValue<string>().ShouldBe("new refund please");
        Ids(await ListAsync(Org, "q=refund")).ShouldBe([conversation]);
    }

    [Test]
    public async Task The_search_vector_keeps_the_start_of_the_conversation_up_to_8192_characters()
    {
        var conversation = Id(await CreateConversationAsync(Org));
        await AddMessageAsync(Org, conversation, new { author = "visitor", body = "beginning" });
        var filler = new StringBuilder();
        for (var i = 0; i < 1_000; i++) filler.Append(Word(i)).Append(' ');
        await AddMessageAsync(Org, conversation, new { author = "ai", body = filler.ToString().Trim() });
        await AddMessageAsync(Org, conversation, new { author = "visitor", body = "ending" });

        var vector = (await GetConversationJsonAsync(Org, conversation))["searchVector"]!.GetValue<string>();

        vector.Length.ShouldBeLessThanOrEqualTo(8_192);
        vector.ShouldStartWith("beginning word0000");
        Ids(await ListAsync(Org, "q=beginning")).ShouldBe([conversation]);
        Ids(await ListAsync(Org, "q=ending")).ShouldBeEmpty();

        static string Word(int i) => "word" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
    }
}
