using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Hostile;

/// <summary>
/// Tenancy over every route the API exposes, enumerated from its endpoint data: a route added
/// later is tested here without being listed. Ids of another organization must answer exactly
/// like ids that exist nowhere, and change nothing.
/// </summary>
public sealed class RouteTenancyTests(string database) : ApiTestBase(database)
{
    /// <summary>
    /// Bodies that pass validation, so a request reaches the lookup of its path id. A route not
    /// listed gets <c>{}</c>; if that does not pass its validation, the test says which route
    /// needs an entry here.
    /// </summary>
    private static Dictionary<string, Func<Fixture, object>> PlausibleBodies => new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST api/conversations"] = _ => new { channel = "widget" },
        ["POST api/operators"] = _ => new { name = "Plausible", email = $"p-{Guid.NewGuid():N}@example.test" },
        ["POST api/conversations/{id}/assign"] = f => new { operatorId = f.OwnOperatorId },
        ["POST api/conversations/{id}/close"] = _ => new { resolvedBy = "operator" },
        ["POST api/conversations/{id}/snooze"] = _ => new { until = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ") },
        ["PATCH api/conversations/{id}"] = _ => new { priority = "high" },
        ["PATCH api/operators/{id}"] = _ => new { name = "Renamed" },
        ["POST api/conversations/{id}/messages"] = _ => new { author = "visitor", body = "Plausible words" },
    };

    /// <summary>The resource a path parameter other than <c>id</c> names.</summary>
    private static readonly Dictionary<string, string> ResourceOfParameter = new(StringComparer.Ordinal)
    {
        ["messageId"] = "messages",
    };

    private static string ResourceOf(ApiRoute route, string parameter) =>
        parameter == "id" ? route.Resource : ResourceOfParameter.GetValueOrDefault(parameter, parameter);

    private sealed record Fixture(string OwnOperatorId, IReadOnlyDictionary<string, string> TheirIds);

    [Test]
    public async Task Every_route_with_an_id_answers_another_organizations_id_like_an_unknown_id_and_changes_nothing()
    {
        var routes = ApiRoutes.All(Factory).Where(r => r.Parameters.Count > 0).ToList();
        routes.ShouldNotBeEmpty();
        var fixture = await ArrangeAsync();
        var before = await OrganizationSnapshot.TakeAsync(Factory, OtherOrg.OrgId);

        foreach (var route in routes)
        {
            var unknownParameters = route.Parameters.Where(p => !fixture.TheirIds.ContainsKey(ResourceOf(route, p))).ToList();
            unknownParameters.ShouldBeEmpty($"{route}: the tenancy test does not know how to fill {string.Join(", ", unknownParameters)}; teach RouteTenancyTests which resource it names.");

            using var theirs = await SendAsync(route, p => fixture.TheirIds[ResourceOf(route, p)], fixture);
            using var unknown = await SendAsync(route, _ => Guid.NewGuid().ToString("D"), fixture);
            var theirAnswer = await AnswerOf(theirs);
            var unknownAnswer = await AnswerOf(unknown);

            unknownAnswer.Status.ShouldBe(HttpStatusCode.NotFound,
                $"{route} with an unknown id answered {unknownAnswer}; if validation rejected the body, add a plausible body for it in {nameof(PlausibleBodies)}.");
            theirAnswer.ShouldBe(unknownAnswer, $"{route}: another organization's id must answer exactly like an unknown id.");
        }

        (await OrganizationSnapshot.TakeAsync(Factory, OtherOrg.OrgId)).ShouldBe(before);
    }

    [Test]
    public async Task No_route_without_an_id_answers_with_anything_of_another_organization()
    {
        var routes = ApiRoutes.All(Factory).Where(r => r.Parameters.Count == 0).ToList();
        routes.ShouldNotBeEmpty();
        var fixture = await ArrangeAsync();
        var before = await OrganizationSnapshot.TakeAsync(Factory, OtherOrg.OrgId);
        var secrets = fixture.TheirIds.Values.Append(OtherOrg.OrgId.ToString("D")).ToList();

        foreach (var route in routes)
        {
            using var response = await SendAsync(route, _ => throw new InvalidOperationException("no parameters"), fixture);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).ShouldBeLessThan(500, $"{route}: {text}");
            foreach (var secret in secrets) text.ShouldNotContain(secret, Case.Insensitive, $"{route} leaked another organization's id");
        }

        (await OrganizationSnapshot.TakeAsync(Factory, OtherOrg.OrgId)).ShouldBe(before);
    }

    private async Task<Fixture> ArrangeAsync()
    {
        var ownOperator = await CreateOperatorAsync(Org);
        var theirOperator = await CreateOperatorAsync(OtherOrg);
        var theirConversation = await CreateConversationAsync(OtherOrg);
        // Give it history, so routes that read the activity log have something to leak.
        await PostAsync(OtherOrg, $"/api/conversations/{Id(theirConversation)}/assign", new { operatorId = Id(theirOperator) });
        var theirMessage = await PostAsync(OtherOrg, $"/api/conversations/{Id(theirConversation)}/messages",
            new { author = "operator", operatorId = Id(theirOperator), body = "Their words" }, HttpStatusCode.Created);
        return new Fixture(Id(ownOperator), new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["conversations"] = Id(theirConversation),
            ["operators"] = Id(theirOperator),
            ["messages"] = Id(theirMessage),
        });
    }

    private async Task<HttpResponseMessage> SendAsync(ApiRoute route, Func<string, string> valueFor, Fixture fixture)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), ApiRoutes.PathOf(route, valueFor));
        if (route.HasBody)
        {
            var body = PlausibleBodies.TryGetValue($"{route.Method} {route.Template}", out var make) ? make(fixture) : new { };
            request.Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        return await Client.SendAsync(request);
    }

    private sealed record Answer(HttpStatusCode Status, string? Code, string? Message, string? Details)
    {
        public override string ToString() => $"{(int)Status} {Code} '{Message}' {Details}";
    }

    private static async Task<Answer> AnswerOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode < 400) return new Answer(response.StatusCode, null, null, text);
        var error = JsonNode.Parse(text)!["error"]!;
        return new Answer(response.StatusCode, error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>(), error["details"]!.ToJsonString());
    }
}
