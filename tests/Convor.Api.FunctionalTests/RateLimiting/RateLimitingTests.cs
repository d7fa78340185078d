using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.RateLimiting;

/// <summary>
/// A small limit (3 per window) so the tests can exhaust it; a window of an hour so that no
/// window can roll over in the middle of a test.
/// </summary>
public sealed class RateLimitingTests(string database) : ApiTestBase(database)
{
    private const int Limit = 3;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
    };

    [Test]
    public async Task Every_answer_tells_the_limit_and_what_is_left_of_it()
    {
        var path = $"/api/conversations/{Guid.NewGuid()}";
        var remaining = new List<string>();

        for (var i = 0; i < Limit; i++)
        {
            using var response = await Client.GetAsync(path);
            await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
            response.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("3");
            remaining.Add(response.Headers.GetValues("RateLimit-Remaining").Single());
        }

        remaining.ShouldBe(["2", "1", "0"]);
    }

    [Test]
    public async Task Over_the_limit_is_rate_limited_with_retry_after_and_changes_nothing()
    {
        var conversation = await CreateConversationAsync(Org); // 1
        await GetConversationJsonAsync(Org, Id(conversation)); // 2
        await GetConversationJsonAsync(Org, Id(conversation)); // 3

        using var limited = await Client.PostAsync($"/api/conversations/{Id(conversation)}/close", null);

        await ShouldBeErrorAsync(limited, (HttpStatusCode)429, "rate_limited");
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 3600);
        limited.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("3");
        limited.Headers.GetValues("RateLimit-Remaining").Single().ShouldBe("0");
        var reader = await Factory.CreateKeyAsync(Org.OrgId, Domain.ApiKeys.ApiKeyScopes.ConversationsRead);
        (await GetConversationJsonAsync(reader, Id(conversation)))["status"]!.GetValue<string>().ShouldBe("open");
    }

    [Test]
    public async Task Each_api_key_has_its_own_budget()
    {
        var secondKey = await Factory.CreateKeyAsync(Org.OrgId, Domain.ApiKeys.ApiKeyScopes.ConversationsRead);
        var path = $"/api/conversations/{Guid.NewGuid()}";
        for (var i = 0; i < Limit; i++) (await Client.GetAsync(path)).Dispose();
        using var exhausted = await Client.GetAsync(path);

        using var sameOrgOtherKey = await secondKey.Client.GetAsync(path);
        using var otherOrg = await OtherOrg.Client.GetAsync(path);

        exhausted.StatusCode.ShouldBe((HttpStatusCode)429);
        await ShouldBeErrorAsync(sameOrgOtherKey, HttpStatusCode.NotFound, "conversation_not_found");
        await ShouldBeErrorAsync(otherOrg, HttpStatusCode.NotFound, "conversation_not_found");
        sameOrgOtherKey.Headers.GetValues("RateLimit-Remaining").Single().ShouldBe("2");
    }

    [Test]
    public async Task Health_checks_and_the_openapi_document_are_never_limited()
    {
        for (var i = 0; i <= Limit; i++) (await Client.GetAsync($"/api/conversations/{Guid.NewGuid()}")).Dispose();

        for (var i = 0; i < Limit * 2; i++)
        {
            using var live = await Client.GetAsync("/health/live");
            using var ready = await Client.GetAsync("/health/ready");
            using var document = await Client.GetAsync("/swagger/v1/swagger.json");
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
            ready.StatusCode.ShouldBe(HttpStatusCode.OK);
            document.StatusCode.ShouldBe(HttpStatusCode.OK);
            live.Headers.Contains("RateLimit-Limit").ShouldBeFalse();
        }
    }

    [Test]
    public async Task Requests_without_a_valid_key_do_not_spend_a_keys_budget()
    {
        using var anonymous = Factory.CreateClient();
        for (var i = 0; i < Limit * 2; i++)
            (await anonymous.GetAsync($"/api/conversations/{Guid.NewGuid()}")).Dispose();

        using var mine = await Client.GetAsync($"/api/conversations/{Guid.NewGuid()}");

        await ShouldBeErrorAsync(mine, HttpStatusCode.NotFound, "conversation_not_found");
        mine.Headers.GetValues("RateLimit-Remaining").Single().ShouldBe("2");
    }
}
