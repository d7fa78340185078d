using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Domain.ApiKeys;

namespace Convor.Api.FunctionalTests.Security;

public sealed class ScopeTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task A_key_without_the_write_scope_is_forbidden_and_changes_nothing()
    {
        var conversation = await CreateConversationAsync(Org);
        var reader = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsRead, ApiKeyScopes.OperatorsRead);
        var before = await OrganizationSnapshot.TakeAsync(Factory, Org.OrgId);

        using var create = await reader.Client.PostAsync("/api/conversations", Json("{\"channel\":\"widget\"}"));
        using var close = await reader.Client.PostAsync($"/api/conversations/{Id(conversation)}/close", null);
        using var createOperator = await reader.Client.PostAsync("/api/operators", Json("{\"name\":\"Ann\",\"email\":\"ann@example.com\"}"));

        await ShouldBeErrorAsync(create, HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeErrorAsync(close, HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeErrorAsync(createOperator, HttpStatusCode.Forbidden, "forbidden");
        (await OrganizationSnapshot.TakeAsync(Factory, Org.OrgId)).ShouldBe(before);
    }

    [Test]
    public async Task A_forbidden_request_does_not_claim_its_idempotency_key()
    {
        var reader = await Factory.CreateKeyAsync(Org.OrgId, ApiKeyScopes.ConversationsRead);
        using var forbidden = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = Json("{\"channel\":\"widget\"}") };
        forbidden.Headers.Add("Idempotency-Key", "shared-key");
        using var allowed = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = Json("{\"channel\":\"widget\"}") };
        allowed.Headers.Add("Idempotency-Key", "shared-key");

        using var refused = await reader.Client.SendAsync(forbidden);
        using var created = await Client.SendAsync(allowed);

        await ShouldBeErrorAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        await ShouldBeOkAsync(created, HttpStatusCode.Created);
        created.Headers.Contains("Idempotency-Replayed").ShouldBeFalse();
    }
}
