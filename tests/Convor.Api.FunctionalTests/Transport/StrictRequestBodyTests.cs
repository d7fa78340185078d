using System.Net;
using System.Text;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Transport;

/// <summary>
/// A body says exactly one thing: enum fields take one member's name (never a comma-joined
/// list, which the serializer's own converter ORs together), and unknown fields are refused
/// instead of dropped. Answered before any handler runs, so one database is enough.
/// </summary>
public sealed class StrictRequestBodyTests : SurfaceTestBase
{
    private static readonly string Missing = "/api/conversations/0193a5b2-c4d2-7e55-8f66-778899aabbcc";

    [TestCase("PATCH", "{id}", """{"priority":"normal, high"}""", "priority", "must be one of: low, normal, high, urgent")]
    [TestCase("PATCH", "{id}", """{"priority":"low,normal"}""", "priority", "must be one of: low, normal, high, urgent")]
    [TestCase("POST", "{id}/close", """{"resolvedBy":"ai,visitor"}""", "resolvedBy", "must be one of: operator, ai, visitor, system")]
    [TestCase("POST", "/api/conversations", """{"channel":"widget, email"}""", "channel", "must be one of: widget, email, api")]
    [TestCase("POST", "/api/operators", """{"name":"A","email":"a@example.com","role":"agent, admin"}""", "role", "must be one of: agent, admin")]
    [TestCase("PATCH", "/api/operators/0193a5b2-c4d2-7e55-8f66-778899aabbcc", """{"role":"agent,admin"}""", "role", "must be one of: agent, admin")]
    [TestCase("PATCH", "{id}", """{"priority":"1"}""", "priority", "must be one of: low, normal, high, urgent")]
    public async Task A_comma_joined_enum_value_is_a_validation_error_naming_the_field(string method, string path, string body, string field, string message)
    {
        using var response = await SendAsync(method, path, body);

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!.ToJsonString().ShouldBe($$"""{"{{field}}":["{{message}}"]}""");
    }

    [TestCase("PATCH", "{id}", """{"prioirty":"high"}""", "prioirty")]
    [TestCase("POST", "/api/conversations", """{"channel":"widget","chanel":"email"}""", "chanel")]
    [TestCase("POST", "{id}/assign", """{"operatorId":"0193a5b2-c4d2-7e55-8f66-778899aabbcc","force":true}""", "force")]
    [TestCase("POST", "{id}/close", """{"resolved_by":"ai"}""", "resolved_by")]
    [TestCase("POST", "{id}/snooze", """{"until":"2030-01-01T00:00:00.000Z","reason":"x"}""", "reason")]
    [TestCase("POST", "/api/operators", """{"name":"A","email":"a@example.com","nickname":"a"}""", "nickname")]
    [TestCase("PATCH", "/api/operators/0193a5b2-c4d2-7e55-8f66-778899aabbcc", """{"isActive":false}""", "isActive")]
    public async Task An_unknown_body_field_is_a_validation_error_naming_it(string method, string path, string body, string field)
    {
        using var response = await SendAsync(method, path, body);

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!.ToJsonString().ShouldBe($$"""{"{{field}}":["is not a known field"]}""");
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string body)
    {
        var target = path.StartsWith('/') ? path : Missing + "/" + path.Replace("{id}/", "", StringComparison.Ordinal).Replace("{id}", "", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), target.TrimEnd('/'))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        return Client.SendAsync(request);
    }
}
