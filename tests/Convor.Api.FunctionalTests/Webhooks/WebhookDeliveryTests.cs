using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.ApiKeys;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>Events reach a real receiver: payload, headers, signatures, retries, 410, rotation, rollbacks, redirects.</summary>
public sealed class WebhookDeliveryTests(string database) : WebhookTestBase(database)
{
    [Test]
    public async Task Every_event_type_arrives_signed_with_the_conversation_after_the_change_and_the_entry_with_its_actor()
    {
        var key = await Factory.CreateKeyAsync(Org.OrgId, [.. ApiKeyScopes.All]);
        var path = NewPath();
        var closedOnlyPath = NewPath();
        var endpoint = await CreateEndpointAsync(key, Receiver.BaseUrl + path);
        await CreateEndpointAsync(key, "http://receiver.test:" + Receiver.Port + closedOnlyPath, "conversation.closed");
        var secret = endpoint["secret"]!.GetValue<string>();

        var conversation = await CreateConversationAsync(key);
        var id = Id(conversation);
        var @operator = await CreateOperatorAsync(key);
        await PostAsync(key, $"/api/conversations/{id}/assign", new { operatorId = Id(@operator) });
        await PostAsync(key, $"/api/conversations/{id}/unassign", new { });
        await PostAsync(key, $"/api/conversations/{id}/snooze", new { until = DateTimeOffset.UtcNow.AddDays(1) });
        await PostAsync(key, $"/api/conversations/{id}/reopen", new { });
        using (var patched = await key.Client.PatchAsJsonAsync($"/api/conversations/{id}", new { priority = "urgent" })) await ShouldBeOkAsync(patched);
        await PostAsync(key, $"/api/conversations/{id}/close", new { resolvedBy = "visitor" });
        var final = await GetConversationJsonAsync(key, id);

        string[] expected = ["conversation.created", "conversation.assigned", "conversation.unassigned", "conversation.snoozed",
            "conversation.reopened", "conversation.updated", "conversation.closed"];
        var received = await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) >= expected.Length && r.Any(w => w.Path == closedOnlyPath));
        var webhooks = received.Where(w => w.Path == path).OrderBy(w => w.Json["data"]!["version"]!.GetValue<long>()).ToList();

        webhooks.Select(w => w.Type).ShouldBe(expected);
        using var log = await key.Client.GetAsync($"/api/conversations/{id}/events");
        var entries = (await ShouldBeOkAsync(log))["data"]!.AsArray();
        for (var i = 0; i < webhooks.Count; i++)
        {
            var webhook = webhooks[i];
            var json = webhook.Json;
            json.Select(p => p.Key).ShouldBe(["id", "type", "timestamp", "data"]);
            json["data"]!.AsObject().Select(p => p.Key).ShouldBe(["version", "conversation", "entry"]);
            webhook.ContentType.ShouldStartWith("application/json");
            webhook.Id.ShouldBe(json["id"]!.GetValue<string>());
            webhook.Attempt.ShouldBe(1);
            long.Parse(webhook.Timestamp, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
            SignatureVerifies(webhook, secret).ShouldBeTrue();
            webhook.Signature.Split(' ').Length.ShouldBe(1);
            json["data"]!["version"]!.GetValue<long>().ShouldBe(i + 1);
            Canonical(json["data"]!["entry"]).ShouldBe(Canonical(entries[i]));
            json["data"]!["entry"]!["actor"]!.GetValue<string>().ShouldBe("apiKey:" + key.KeyId);
            json["data"]!["conversation"]!.AsObject().Count.ShouldBe(15);
            json["data"]!["conversation"]!["id"]!.GetValue<string>().ShouldBe(id);
        }
        Canonical(webhooks[^1].Json["data"]!["conversation"]).ShouldBe(Canonical(final));
        webhooks[1].Json["data"]!["conversation"]!["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(@operator));
        webhooks.Select(w => w.Id).Distinct().Count().ShouldBe(expected.Length);

        var closedOnly = Receiver.At(closedOnlyPath);
        closedOnly.Select(w => w.Type).ShouldBe(["conversation.closed"]);
        closedOnly[0].Id.ShouldBe(webhooks[^1].Id);
        Sockets.Attempts.ShouldAllBe(a => IPAddress.IsLoopback(a.Address));
    }

    [Test]
    public async Task A_message_arrives_with_the_message_and_a_handoff_nobody_can_take_as_handoff_requested()
    {
        var key = await Factory.CreateKeyAsync(Org.OrgId, [.. ApiKeyScopes.All]);
        var path = NewPath();
        var endpoint = await CreateEndpointAsync(key, Receiver.BaseUrl + path, "message.created", "conversation.handoff_requested");
        var secret = endpoint["secret"]!.GetValue<string>();
        var id = Id(await CreateConversationAsync(key));

        using (var posted = await key.Client.PostAsJsonAsync($"/api/conversations/{id}/messages", new { author = "visitor", body = "Where is my parcel?" }))
            posted.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        await PostAsync(key, $"/api/conversations/{id}/handoff", new { });

        var received = await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) >= 2);
        var webhooks = received.Where(w => w.Path == path).OrderBy(w => w.Json["data"]!["version"]!.GetValue<long>()).ToList();
        webhooks.Select(w => w.Type).ShouldBe(["message.created", "conversation.handoff_requested"]);
        webhooks.ShouldAllBe(w => SignatureVerifies(w, secret));

        var message = webhooks[0].Json["data"]!;
        message.AsObject().Select(p => p.Key).ShouldBe(["version", "conversation", "entry", "message"]);
        message["message"]!["body"]!.GetValue<string>().ShouldBe("Where is my parcel?");
        message["message"]!["author"]!.GetValue<string>().ShouldBe("visitor");
        message["message"]!["conversationId"]!.GetValue<string>().ShouldBe(id);
        message["entry"]!["data"]!["messageId"]!.GetValue<string>().ShouldBe(message["message"]!["id"]!.GetValue<string>());

        var handoff = webhooks[1].Json["data"]!;
        handoff.AsObject().Select(p => p.Key).ShouldBe(["version", "conversation", "entry"]);
        handoff["entry"]!["type"]!.GetValue<string>().ShouldBe("handoff_requested");
        handoff["conversation"]!["aiActive"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Test]
    public async Task A_receiver_answering_500_then_200_gets_the_retry_with_the_same_webhook_id()
    {
        var path = NewPath();
        Receiver.Script(path, 500);
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path, "conversation.created");

        await CreateConversationAsync(Org);

        var received = await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) >= 2);
        var attempts = received.Where(w => w.Path == path).ToList();
        attempts.Count.ShouldBe(2);
        attempts[1].Id.ShouldBe(attempts[0].Id);
        attempts.Select(a => a.Attempt).ShouldBe([1, 2]);
        attempts[1].Body.ShouldBe(attempts[0].Body);
        var delivery = await GetDeliveryAsync(Org, Id(endpoint), d => d["status"]!.GetValue<string>() == "succeeded");
        delivery["attempts"]!.GetValue<int>().ShouldBe(2);
        delivery["lastStatusCode"]!.GetValue<int>().ShouldBe(200);
        delivery["eventId"]!.GetValue<string>().ShouldBe(attempts[0].Id);
        delivery["nextAttemptAt"].ShouldBeNull();
    }

    [Test]
    public async Task A_delivery_that_fails_every_attempt_is_failed_with_its_last_error()
    {
        var path = NewPath();
        Receiver.Script(path, 500, 502, 503, 500);
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path, "conversation.created");

        await CreateConversationAsync(Org);

        var delivery = await GetDeliveryAsync(Org, Id(endpoint), d => d["status"]!.GetValue<string>() == "failed");
        delivery["attempts"]!.GetValue<int>().ShouldBe(4); // the first and the three retries of this fixture's schedule
        delivery["lastStatusCode"]!.GetValue<int>().ShouldBe(500);
        delivery["lastError"]!.GetValue<string>().ShouldContain("500");
        delivery["nextAttemptAt"].ShouldBeNull();
        (await GetEndpointAsync(Org, Id(endpoint)))["active"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Test]
    public async Task A_410_answer_disables_the_endpoint_at_once()
    {
        var path = NewPath();
        Receiver.Script(path, 410);
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path);

        await CreateConversationAsync(Org);

        var delivery = await GetDeliveryAsync(Org, Id(endpoint), d => d["status"]!.GetValue<string>() == "failed");
        delivery["attempts"]!.GetValue<int>().ShouldBe(1);
        delivery["lastStatusCode"]!.GetValue<int>().ShouldBe(410);
        (await GetEndpointAsync(Org, Id(endpoint)))["active"]!.GetValue<bool>().ShouldBeFalse();

        await CreateConversationAsync(Org);
        using var deliveries = await Org.Client.GetAsync($"/api/webhooks/{Id(endpoint)}/deliveries");
        (await ShouldBeOkAsync(deliveries))["data"]!.AsArray().Count.ShouldBe(1); // nothing is queued for a disabled endpoint
        Receiver.At(path).Count.ShouldBe(1);
    }

    [Test]
    public async Task After_a_rotation_deliveries_are_signed_by_the_new_and_the_old_secret()
    {
        var path = NewPath();
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path, "conversation.created");
        var oldSecret = endpoint["secret"]!.GetValue<string>();

        var rotated = await PostAsync(Org, $"/api/webhooks/{Id(endpoint)}/rotate-secret", new { });
        var newSecret = rotated["secret"]!.GetValue<string>();
        newSecret.ShouldNotBe(oldSecret);
        newSecret.ShouldStartWith("whsec_");
        await CreateConversationAsync(Org);

        var webhook = (await Receiver.WaitForAsync(r => r.Any(w => w.Path == path))).Single(w => w.Path == path);
        var signatures = webhook.Signature.Split(' ');
        signatures.Length.ShouldBe(2);
        SignatureVerifies(webhook with { Signature = signatures[0] }, newSecret).ShouldBeTrue();
        SignatureVerifies(webhook with { Signature = signatures[1] }, oldSecret).ShouldBeTrue();
    }

    [Test]
    public async Task Commands_that_lose_a_race_or_are_refused_send_no_event()
    {
        var path = NewPath();
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path);
        var conversation = await CreateConversationAsync(Org);
        var id = Id(conversation);

        // Twenty PATCHes race on version 1: one wins, the others lose (412 or 409 concurrency_conflict).
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/conversations/{id}")
            {
                Content = JsonContent.Create(new { metadata = new { attempt = i } }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var response = await Org.Client.SendAsync(request);
            return response.StatusCode;
        }));
        results.Count(s => s == HttpStatusCode.OK).ShouldBe(1);
        results.Where(s => s != HttpStatusCode.OK).ShouldAllBe(s => s == HttpStatusCode.PreconditionFailed || s == HttpStatusCode.Conflict);
        // A refused command: closed conversations cannot be assigned (409 conversation_closed).
        await PostAsync(Org, $"/api/conversations/{id}/close", new { });
        var @operator = await CreateOperatorAsync(Org);
        using (var refused = await Org.Client.PostAsJsonAsync($"/api/conversations/{id}/assign", new { operatorId = Id(@operator) }))
            await ShouldBeErrorAsync(refused, HttpStatusCode.Conflict, "conversation_closed");
        await PostAsync(Org, $"/api/conversations/{id}/reopen", new { }); // the last change: everything before it has been queued

        var received = await Receiver.WaitForAsync(r => r.Any(w => w.Path == path && w.Type == "conversation.reopened"));
        await Task.Delay(300); // anything queued later than the reopen would show up by now
        var types = Receiver.At(path).OrderBy(w => w.Json["data"]!["version"]!.GetValue<long>()).Select(w => w.Type).ToList();
        types.ShouldBe(["conversation.created", "conversation.updated", "conversation.closed", "conversation.reopened"]);
        using var deliveries = await Org.Client.GetAsync($"/api/webhooks/{Id(endpoint)}/deliveries");
        (await ShouldBeOkAsync(deliveries))["data"]!.AsArray().Count.ShouldBe(4);
        received.ShouldNotBeEmpty();
    }

    [Test]
    public async Task A_redirect_is_not_followed_and_the_delivery_records_why()
    {
        var path = NewPath();
        Receiver.ScriptRedirect(path, "http://private.test/latest/meta-data");
        Receiver.Script(path, 302);
        var endpoint = await CreateEndpointAsync(Org, "http://receiver.test:" + Receiver.Port + path, "conversation.created");

        await CreateConversationAsync(Org);

        var delivery = await GetDeliveryAsync(Org, Id(endpoint), d => d["attempts"]!.GetValue<int>() >= 1);
        delivery["lastStatusCode"]!.GetValue<int>().ShouldBe(302);
        delivery["lastError"]!.GetValue<string>().ShouldContain("Redirects are not followed");
        Resolver.Asked.ShouldNotContain("private.test");
        Sockets.Attempts.ShouldAllBe(a => IPAddress.IsLoopback(a.Address) && a.Port == Receiver.Port);
    }

    [Test]
    public async Task Redelivery_sends_the_event_again_with_the_same_webhook_id()
    {
        var path = NewPath();
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path, "conversation.created");
        await CreateConversationAsync(Org);
        var delivered = await GetDeliveryAsync(Org, Id(endpoint), d => d["status"]!.GetValue<string>() == "succeeded");

        var queued = await PostAsync(OrgClient: Org, $"/api/webhooks/{Id(endpoint)}/deliveries/{Id(delivered)}/redeliver", HttpStatusCode.Accepted);
        queued["eventId"]!.GetValue<string>().ShouldBe(delivered["eventId"]!.GetValue<string>()); // pending, or already succeeded again: the dispatcher is fast

        var received = await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) >= 2);
        received.Where(w => w.Path == path).Select(w => w.Id).Distinct().ShouldBe([delivered["eventId"]!.GetValue<string>()]);
        received.Where(w => w.Path == path).Select(w => w.Attempt).ShouldBe([1, 2]);
        using var foreign = await OtherOrg.Client.PostAsync($"/api/webhooks/{Id(endpoint)}/deliveries/{Id(delivered)}/redeliver", null);
        await ShouldBeErrorAsync(foreign, HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Deliveries_list_by_status_newest_first_in_pages()
    {
        var path = NewPath();
        var endpoint = await CreateEndpointAsync(Org, Receiver.BaseUrl + path, "conversation.created");
        for (var i = 0; i < 3; i++) await CreateConversationAsync(Org);
        await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) >= 3);
        await GetDeliveryAsync(Org, Id(endpoint), d => d["status"]!.GetValue<string>() == "succeeded");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var url = $"/api/webhooks/{Id(endpoint)}/deliveries?status=succeeded&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await Org.Client.GetAsync(url);
            var page = await ShouldBeOkAsync(response);
            foreach (var delivery in page["data"]!.AsArray())
            {
                delivery!.AsObject().Select(p => p.Key).ShouldBe(["id", "eventId", "eventType", "status", "attempts", "lastAttemptAt", "lastStatusCode", "lastError", "nextAttemptAt"]);
                seen.Add(delivery["id"]!.GetValue<string>());
            }
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        seen.Count.ShouldBe(3);
        seen.ShouldBe(seen.OrderByDescending(Guid.Parse).ToList());

        using var pending = await Org.Client.GetAsync($"/api/webhooks/{Id(endpoint)}/deliveries?status=pending");
        (await ShouldBeOkAsync(pending))["data"]!.AsArray().Count.ShouldBe(0);
        using var foreign = await OtherOrg.Client.GetAsync($"/api/webhooks/{Id(endpoint)}/deliveries");
        await ShouldBeErrorAsync(foreign, HttpStatusCode.NotFound, "not_found");
    }

    private static async Task<JsonObject> PostAsync(TestOrganization OrgClient, string path, HttpStatusCode expected)
    {
        using var response = await OrgClient.Client.PostAsync(path, null);
        return await ShouldBeOkAsync(response, expected);
    }

    private static async Task<JsonObject> GetEndpointAsync(TestOrganization org, string id)
    {
        using var response = await org.Client.GetAsync($"/api/webhooks/{id}");
        return await ShouldBeOkAsync(response);
    }
}
