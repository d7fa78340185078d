using System.Net;
using System.Text.RegularExpressions;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Transport;

public sealed partial class WireFormatTests(string database) : ApiTestBase(database)
{
    private static readonly string[] ConversationFields =
    [
        "id", "orgId", "visitorId", "assignedOperatorId", "status", "priority", "resolvedBy", "channel",
        "aiActive", "snoozedUntil", "lastMessageAt", "metadata", "createdAt", "updatedAt", "searchVector",
    ];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex ContractTimestamp();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex LowerCaseUuid();

    [Test]
    public async Task Conversation_has_exactly_the_15_contract_fields_in_order_with_nulls_written()
    {
        using var response = await Client.PostAsync("/api/conversations",
            Json("""{"channel":"email","priority":"high","metadata":{"subject":"Crème Brûlée order","n":3}}"""));
        var body = await ShouldBeOkAsync(response, HttpStatusCode.Created);

        body.Select(p => p.Key).ShouldBe(ConversationFields);
        LowerCaseUuid().IsMatch(Id(body)).ShouldBeTrue();
        body["orgId"]!.GetValue<string>().ShouldBe(Org.OrgId.ToString("D"));
        body["assignedOperatorId"].ShouldBeNull();
        body["resolvedBy"].ShouldBeNull();
        body["snoozedUntil"].ShouldBeNull();
        body["lastMessageAt"].ShouldBeNull();
        body["status"]!.GetValue<string>().ShouldBe("open");
        body["priority"]!.GetValue<string>().ShouldBe("high");
        body["channel"]!.GetValue<string>().ShouldBe("email");
        Canonical(body["metadata"]).ShouldBe("""{"subject":"Crème Brûlée order","n":3}""");
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"metadata\":{\"subject\":\"Crème Brûlée order\",\"n\":3}");
        body["searchVector"]!.GetValue<string>().ShouldBe("creme brulee order");
        ContractTimestamp().IsMatch(body["createdAt"]!.GetValue<string>()).ShouldBeTrue();
        ContractTimestamp().IsMatch(body["updatedAt"]!.GetValue<string>()).ShouldBeTrue();
        response.Headers.Location!.ToString().ShouldEndWith($"/api/conversations/{Id(body)}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
    }

    [Test]
    public async Task Well_formed_correlation_id_is_echoed_and_a_malformed_one_replaced()
    {
        using var good = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{Guid.NewGuid()}");
        good.Headers.Add("X-Correlation-Id", "trace-1.A_b");
        using var goodResponse = await Client.SendAsync(good);

        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{Guid.NewGuid()}");
        bad.Headers.Add("X-Correlation-Id", "has spaces and ünïcode");
        using var badResponse = await Client.SendAsync(bad);

        goodResponse.Headers.GetValues("X-Correlation-Id").Single().ShouldBe("trace-1.A_b");
        (await ShouldBeErrorAsync(goodResponse, HttpStatusCode.NotFound, "conversation_not_found"))["correlationId"]!
            .GetValue<string>().ShouldBe("trace-1.A_b");
        badResponse.Headers.GetValues("X-Correlation-Id").Single().ShouldNotBe("has spaces and ünïcode");
        await ShouldBeErrorAsync(badResponse, HttpStatusCode.NotFound, "conversation_not_found");
    }

    [Test]
    public async Task Unknown_route_is_404_not_found_and_wrong_method_is_405()
    {
        using var unknown = await Client.GetAsync("/api/nothing-here");
        using var wrongMethod = await Client.DeleteAsync($"/api/conversations/{Guid.NewGuid()}/assign");

        await ShouldBeErrorAsync(unknown, HttpStatusCode.NotFound, "not_found");
        await ShouldBeErrorAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Test]
    public async Task Body_over_64_KiB_is_413()
    {
        var conversation = await CreateConversationAsync(Org);
        var padding = new string('x', 70 * 1024);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/close", Json($"{{\"pad\":\"{padding}\"}}"));

        await ShouldBeErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        response.Headers.ConnectionClose.ShouldBe(true);
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [Test]
    public async Task Responses_carry_no_server_banner_and_no_https_redirect()
    {
        using var response = await Client.GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Server.ShouldBeEmpty();
        response.Headers.Contains("X-Correlation-Id").ShouldBeTrue();
    }
}
