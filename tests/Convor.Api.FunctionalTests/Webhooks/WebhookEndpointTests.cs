using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.ApiKeys;

namespace Convor.Api.FunctionalTests.Webhooks;

/// <summary>The endpoints resource: create (secret once), read, list, update, delete, scopes, tenancy, validation.</summary>
public sealed class WebhookEndpointTests(string database) : WebhookTestBase(database)
{
    [Test]
    public async Task Create_answers_the_secret_once_and_reads_never_show_it()
    {
        using var response = await Client.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/convor", events = new[] { "conversation.closed", "conversation.created", "conversation.closed" }, description = "CRM" });
        var created = await ShouldBeOkAsync(response, HttpStatusCode.Created);

        created.Select(p => p.Key).ShouldBe(["id", "orgId", "url", "events", "description", "active", "secret", "createdAt", "updatedAt"]);
        var secret = created["secret"]!.GetValue<string>();
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBe(32);
        created["orgId"]!.GetValue<string>().ShouldBe(Org.OrgId.ToString());
        created["events"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["conversation.created", "conversation.closed"]);
        created["active"]!.GetValue<bool>().ShouldBeTrue();
        response.Headers.Location!.ToString().ShouldEndWith("/api/webhooks/" + Id(created));

        using var get = await Client.GetAsync($"/api/webhooks/{Id(created)}");
        var read = await ShouldBeOkAsync(get);
        read.Select(p => p.Key).ShouldBe(["id", "orgId", "url", "events", "description", "active", "createdAt", "updatedAt"]);
        using var list = await Client.GetAsync("/api/webhooks");
        var listed = await ShouldBeOkAsync(list);
        listed["data"]!.AsArray().Select(e => Id(e!.AsObject())).ShouldBe([Id(created)]);
        (await get.Content.ReadAsStringAsync() + await list.Content.ReadAsStringAsync()).ShouldNotContain(secret["whsec_".Length..]);
    }

    [Test]
    public async Task Update_changes_what_is_given_and_delete_removes_it()
    {
        var created = await CreateEndpointAsync(Org, "https://hooks.example.com/a");
        using var patch = await Client.PatchAsJsonAsync($"/api/webhooks/{Id(created)}", new { url = "https://hooks.example.com/b", events = new[] { "message.created" }, active = false });
        var updated = await ShouldBeOkAsync(patch);
        updated["url"]!.GetValue<string>().ShouldBe("https://hooks.example.com/b");
        updated["events"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["message.created"]);
        updated["active"]!.GetValue<bool>().ShouldBeFalse();
        updated["description"]!.GetValue<string>().ShouldBe("test receiver");

        using var delete = await Client.DeleteAsync($"/api/webhooks/{Id(created)}");
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await Client.GetAsync($"/api/webhooks/{Id(created)}");
        await ShouldBeErrorAsync(gone, HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Another_organizations_endpoint_answers_like_an_unknown_one_and_changes_nothing()
    {
        var foreign = await CreateEndpointAsync(OtherOrg, "https://hooks.example.com/other");
        var unknown = Guid.NewGuid();
        foreach (var id in new[] { Id(foreign), unknown.ToString() })
        {
            using var get = await Client.GetAsync($"/api/webhooks/{id}");
            var error = await ShouldBeErrorAsync(get, HttpStatusCode.NotFound, "not_found");
            error["message"]!.GetValue<string>().ShouldBe("Webhook endpoint was not found.");
            using var patch = await Client.PatchAsJsonAsync($"/api/webhooks/{id}", new { active = false });
            await ShouldBeErrorAsync(patch, HttpStatusCode.NotFound, "not_found");
            using var rotate = await Client.PostAsync($"/api/webhooks/{id}/rotate-secret", null);
            await ShouldBeErrorAsync(rotate, HttpStatusCode.NotFound, "not_found");
            using var delete = await Client.DeleteAsync($"/api/webhooks/{id}");
            await ShouldBeErrorAsync(delete, HttpStatusCode.NotFound, "not_found");
        }
        using var still = await OtherOrg.Client.GetAsync($"/api/webhooks/{Id(foreign)}");
        (await ShouldBeOkAsync(still))["active"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Test]
    public async Task Keys_need_the_webhook_scopes_and_new_keys_have_them()
    {
        var readOnly = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.WebhooksRead);
        var none = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsRead);

        using (var list = await readOnly.Client.GetAsync("/api/webhooks")) await ShouldBeOkAsync(list);
        using (var create = await readOnly.Client.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/x", events = new[] { "*" } }))
            await ShouldBeErrorAsync(create, HttpStatusCode.Forbidden, "forbidden");
        using (var list = await none.Client.GetAsync("/api/webhooks"))
            await ShouldBeErrorAsync(list, HttpStatusCode.Forbidden, "forbidden");
        await CreateEndpointAsync(Org, "https://hooks.example.com/default-key"); // the organization's first key has all six scopes
    }

    [TestCase("""{"url":"ftp://hooks.example.com/x","events":["*"]}""", "url")]
    [TestCase("""{"url":"https://user:pw@hooks.example.com/x","events":["*"]}""", "url")]
    [TestCase("""{"url":"/relative","events":["*"]}""", "url")]
    [TestCase("""{"events":["*"]}""", "url")]
    [TestCase("""{"url":"https://hooks.example.com/x","events":[]}""", "events")]
    [TestCase("""{"url":"https://hooks.example.com/x","events":["conversation.exploded"]}""", "events")]
    [TestCase("""{"url":"https://hooks.example.com/x"}""", "events")]
    public async Task Invalid_endpoints_are_refused_with_the_field(string body, string field)
    {
        using var response = await Client.PostAsync("/api/webhooks", Json(body));
        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!.AsObject().Select(p => p.Key).ShouldBe([field]);
    }
}

/// <summary>Without <c>Webhooks:AllowHttp</c> an endpoint must be https.</summary>
public sealed class WebhookHttpsOnlyTests(string database) : ApiTestBase(database)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:SecretEncryptionKey"] = WebhookTestBase.TestEncryptionKey,
    };

    [Test]
    public async Task A_plain_http_url_is_refused()
    {
        using var response = await Client.PostAsJsonAsync("/api/webhooks", new { url = "http://hooks.example.com/x", events = new[] { "*" } });
        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["url"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["must use https"]);
    }
}
