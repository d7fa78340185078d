using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.ApiKeys;

namespace Convor.Api.FunctionalTests.Transport;

public sealed class AuthenticationTests(string database) : ApiTestBase(database)
{
    // Revocation must bite at once in this fixture: no key cache.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:KeyCacheMilliseconds"] = "0" };

    private static IEnumerable<string?> BadAuthorizationHeaders() =>
    [
        null,
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer cvr_",
        "Bearer cvr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer not-a-convor-key",
        "Bearer " + new string('a', 5000), // far longer than any key
    ];

    [TestCaseSource(nameof(BadAuthorizationHeaders))]
    public async Task Missing_malformed_or_unknown_key_is_401_with_www_authenticate(string? authorization)
    {
        var conversation = await CreateConversationAsync(Org);
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{Id(conversation)}/close");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.SendAsync(request);

        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).ShouldContain("Bearer");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Revoked_key_stops_working()
    {
        var key = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsRead);
        var conversation = await CreateConversationAsync(Org);
        (await key.Client.GetAsync($"/api/conversations/{Id(conversation)}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Factory.RevokeKeyAsync(key.KeyId!.Value);

        using var response = await key.Client.GetAsync($"/api/conversations/{Id(conversation)}");
        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task Key_without_the_scope_is_403_forbidden_and_changes_nothing()
    {
        var readOnly = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsRead);
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);

        using var assign = await readOnly.Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });
        using var close = await readOnly.Client.PostAsync($"/api/conversations/{Id(conversation)}/close", null);
        using var createOperator = await readOnly.Client.PostAsJsonAsync("/api/operators", new { name = "X", email = "x@example.test" });
        using var getOperator = await readOnly.Client.GetAsync($"/api/operators/{Id(op)}");
        using var read = await readOnly.Client.GetAsync($"/api/conversations/{Id(conversation)}");

        await ShouldBeErrorAsync(assign, HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeErrorAsync(close, HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeErrorAsync(createOperator, HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeErrorAsync(getOperator, HttpStatusCode.Forbidden, "forbidden");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Scheme_name_is_case_insensitive()
    {
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", Org.ApiKey);

        using var response = await client.GetAsync($"/api/conversations/{Guid.NewGuid()}");

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
    }

    [Test]
    public async Task Health_endpoints_need_no_key()
    {
        using var client = Factory.CreateClient();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
