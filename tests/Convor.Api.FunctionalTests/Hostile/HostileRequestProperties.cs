using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace Convor.Api.FunctionalTests.Hostile;

/// <summary>
/// Generated hostile requests (methods, paths, ids, headers, bodies) against every route the
/// API exposes. Whatever arrives: never a 5xx, every error is exactly the envelope, and
/// nothing of another organization changes or shows. FsCheck prints the request that broke a
/// property together with the seed to replay it.
/// </summary>
public sealed class HostileRequestProperties(string database) : ApiTestBase(database)
{
    private const int Cases = 150;

    // The properties send a few hundred requests with one key; the limiter is not under test here.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "1000000",
    };

    private Dictionary<string, string> _placeholders = null!;
    private IReadOnlyList<ApiRoute> _routes = null!;

    [SetUp]
    public async Task ArrangeBothOrganizationsAsync()
    {
        _routes = ApiRoutes.All(Factory);
        var theirOperator = await CreateOperatorAsync(OtherOrg);
        var theirConversation = await CreateConversationAsync(OtherOrg, new { channel = "email", metadata = new { secret = "their-metadata" } });
        await PostAsync(OtherOrg, $"/api/conversations/{Id(theirConversation)}/assign", new { operatorId = Id(theirOperator) });
        await PostAsync(OtherOrg, $"/api/conversations/{Id(theirConversation)}/messages",
            new { author = "operator", operatorId = Id(theirOperator), body = "their-message-text" }, HttpStatusCode.Created);
        var myOperator = await CreateOperatorAsync(Org);
        var myConversation = await CreateConversationAsync(Org);
        _placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["$THEIR_CONVERSATION$"] = Id(theirConversation),
            ["$THEIR_OPERATOR$"] = Id(theirOperator),
            ["$THEIR_VISITOR$"] = theirConversation["visitorId"]!.GetValue<string>(),
            ["$THEIR_ORG$"] = OtherOrg.OrgId.ToString("D"),
            ["$MY_CONVERSATION$"] = Id(myConversation),
            ["$MY_OPERATOR$"] = Id(myOperator),
        };
    }

    [Test]
    public void Hostile_requests_never_get_a_server_error_and_always_get_the_envelope()
    {
        Check(generated =>
        {
            var (sent, response) = Send(generated);
            using (response)
            {
                var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                ((int)response.StatusCode).ShouldBeLessThan(500, $"{sent}\n→ {text}");
                response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff", sent.ToString());
                if ((int)response.StatusCode >= 400 && sent.Method != "HEAD") ShouldBeEnvelope(response, text, sent);
            }
        });
    }

    [Test]
    public async Task Hostile_requests_never_change_or_reveal_anything_of_another_organization()
    {
        var before = await OrganizationSnapshot.TakeAsync(Factory, OtherOrg.OrgId);
        string[] theirIds = [.. _placeholders.Where(p => p.Key.StartsWith("$THEIR", StringComparison.Ordinal)).Select(p => p.Value)];
        string[] secrets = ["their-metadata", "their-message-text", .. theirIds];
        // Text an accepted request carried may be stored in my organization (an operator of mine
        // named like their conversation's id) and read back by a later request: that is my own
        // data. Their ids as ids, and their own texts, may never show.
        var storedByMe = new HashSet<string>(StringComparer.Ordinal);

        Check(generated =>
        {
            var (sent, response) = Send(generated);
            using (response)
            {
                var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                var leak = $"{sent}\n→ {(int)response.StatusCode} revealed another organization's data: {text}";
                // Echoing what the request itself carried (a name that looks like their id) reveals nothing.
                foreach (var secret in secrets.Where(s => !sent.Contains(s) && !storedByMe.Contains(s)))
                    text.ShouldNotContain(secret, Case.Insensitive, leak);
                IdValues(text).ShouldNotContain(id => theirIds.Contains(id, StringComparer.OrdinalIgnoreCase), leak);
                OrganizationSnapshot.TakeAsync(Factory, OtherOrg.OrgId).GetAwaiter().GetResult()
                    .ShouldBe(before, $"{sent}\n→ {(int)response.StatusCode} changed another organization's data");
                if (response.IsSuccessStatusCode) storedByMe.UnionWith(secrets.Where(sent.Contains));
            }
        });
    }

    /// <summary>The values of every <c>id</c> and <c>…Id</c> member of a JSON answer, at any depth (none for another answer).</summary>
    private static List<string> IdValues(string text)
    {
        var values = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        if ((name == "id" || name.EndsWith("Id", StringComparison.Ordinal)) && value is JsonValue v && v.TryGetValue<string>(out var id)) values.Add(id);
                        Walk(value);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array) Walk(item);
                    break;
            }
        }
        try
        {
            Walk(JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            // Not JSON: the text check above covers it.
        }
        return values;
    }

    private static void Check(Action<HostileRequest> property) =>
        Prop.ForAll(HostileRequests.Arbitrary(), property)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true));

    /// <summary>The request as it went out, for messages and for telling echoes from leaks.</summary>
    private sealed record SentRequest(string Method, string Target, string Text, HostileRequest Generated)
    {
        public bool Contains(string value) => Text.Contains(value, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"{Method} {HostileRequest.Shorten(Target)} (generated: {Generated})";
    }

    private (SentRequest Sent, HttpResponseMessage Response) Send(HostileRequest generated)
    {
        var route = _routes[generated.RouteIndex % _routes.Count];
        var method = generated.Method.Length > 0 ? generated.Method : route.Method;
        var path = Resolve(generated.MadeUpPath ?? ApiRoutes.PathOf(route, _ => IdFor(generated, route)).Replace("%24", "$", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(new HttpMethod(method), path + Resolve(generated.Query));

        var content = BodyFor(generated.Body, route);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", generated.ContentType);
            if (generated.ContentType is null) request.Content.Headers.ContentType = null;
        }

        switch (generated.Authorization)
        {
            case "mine": request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Org.ApiKey); break;
            case "garbage key": request.Headers.TryAddWithoutValidation("Authorization", "Bearer cvr_" + new string('A', 43)); break;
            case "basic": request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz"); break;
            case "empty bearer": request.Headers.TryAddWithoutValidation("Authorization", "Bearer "); break;
            case "their key lower-cased": request.Headers.TryAddWithoutValidation("Authorization", "bearer " + OtherOrg.ApiKey.ToLowerInvariant()); break;
            case "two keys": request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + Org.ApiKey, "Bearer " + OtherOrg.ApiKey]); break;
        }
        foreach (var (name, value) in generated.Headers)
            request.Headers.TryAddWithoutValidation(name, value == "$RANDOM$" ? Guid.NewGuid().ToString("N") : Resolve(value));

        var text = $"{request.RequestUri} {request.Headers} {(content is null ? "" : Encoding.UTF8.GetString(content))}";
        var sent = new SentRequest(method, request.RequestUri!.ToString(), text, generated);
        // A fresh client: the fixture's client carries Org's key by default.
        using var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return (sent, client.SendAsync(request).GetAwaiter().GetResult());
    }

    private string IdFor(HostileRequest generated, ApiRoute route) => generated.Id switch
    {
        IdChoice.TheirConversation => _placeholders["$THEIR_CONVERSATION$"],
        IdChoice.TheirOperator => _placeholders["$THEIR_OPERATOR$"],
        IdChoice.MyConversation => _placeholders["$MY_CONVERSATION$"],
        IdChoice.MyOperator => _placeholders["$MY_OPERATOR$"],
        IdChoice.TheirConversationUpperCase => (route.Resource == "operators" ? _placeholders["$THEIR_OPERATOR$"] : _placeholders["$THEIR_CONVERSATION$"]).ToUpperInvariant(),
        IdChoice.UnknownUuid => Guid.NewGuid().ToString("D"),
        _ => Resolve(generated.GarbageId),
    };

    private byte[]? BodyFor(HostileBody body, ApiRoute route)
    {
        switch (body.Kind)
        {
            case "none": return null;
            // Placeholders only in text bodies; other bytes go out exactly as generated.
            case "raw": return body.Raw!.All(b => b < 0x80) ? Encoding.UTF8.GetBytes(Resolve(Encoding.ASCII.GetString(body.Raw!))) : body.Raw;
            case "empty": return [];
        }
        var plausible = JsonNode.Parse(PlausibleBody(route))!.AsObject();
        var member = body.Member ?? (plausible.Count == 0 ? "id" : plausible.ElementAt(body.MemberIndex % plausible.Count).Key);
        plausible.Remove(member);
        var json = plausible.ToJsonString();
        if (body.Kind == "replaced")
        {
            // Spliced in as text: a hostile value (a lone surrogate, 40 levels deep) is sent
            // exactly as generated, which a JSON writer would refuse to produce.
            json = json[..^1] + (plausible.Count > 0 ? "," : "") + $"\"{member}\":{Resolve(body.Value!)}}}";
        }
        return Encoding.UTF8.GetBytes(json);
    }

    private string PlausibleBody(ApiRoute route) => route.Template switch
    {
        "api/conversations" => """{"channel":"widget","priority":"high","metadata":{"k":"v"}}""",
        "api/operators" => $$"""{"name":"Generated","email":"g-{{Guid.NewGuid():N}}@example.test","role":"agent"}""",
        _ when route.Template.EndsWith("/assign", StringComparison.Ordinal) => $$"""{"operatorId":"{{_placeholders["$MY_OPERATOR$"]}}"}""",
        _ when route.Template.EndsWith("/close", StringComparison.Ordinal) => """{"resolvedBy":"ai"}""",
        _ when route.Template.EndsWith("/snooze", StringComparison.Ordinal) => $$"""{"until":"{{DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ss.fffZ}}"}""",
        "api/operators/{id}" => """{"name":"Renamed","active":true}""",
        "api/conversations/{id}" => """{"priority":"low"}""",
        _ when route.Template.EndsWith("/messages", StringComparison.Ordinal) => """{"author":"visitor","body":"Generated words"}""",
        _ => "{}",
    };

    private string Resolve(string text)
    {
        foreach (var (placeholder, value) in _placeholders) text = text.Replace(placeholder, value, StringComparison.Ordinal);
        return text;
    }

    private static void ShouldBeEnvelope(HttpResponseMessage response, string text, SentRequest request)
    {
        var context = $"{request}\n→ {(int)response.StatusCode} {text}";
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", context);
        var root = JsonNode.Parse(text)!.AsObject();
        root.Select(p => p.Key).ShouldBe(["error"], context);
        var error = root["error"]!.AsObject();
        error.Select(p => p.Key).ShouldBe(["code", "message", "details", "correlationId"], context);
        error["code"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(context);
        error["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(context);
        error["details"].ShouldBeOfType<JsonObject>(context);
        error["correlationId"]!.GetValue<string>().ShouldBe(response.Headers.GetValues("X-Correlation-Id").Single(), context);
    }
}
