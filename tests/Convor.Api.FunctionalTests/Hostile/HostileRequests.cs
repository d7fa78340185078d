using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Convor.Api.FunctionalTests.Hostile;

/// <summary>Whose id goes into a path parameter.</summary>
public enum IdChoice
{
    TheirConversation,
    TheirOperator,
    MyConversation,
    MyOperator,
    TheirConversationUpperCase,
    UnknownUuid,
    Garbage,
}

/// <summary>
/// A request as generated: symbolic, so it can be printed when it breaks something and
/// resolved against whatever the test arranged. Placeholders such as <c>$THEIR_OPERATOR$</c>
/// in paths and bodies are replaced with the live ids.
/// </summary>
public sealed record HostileRequest(
    string Method,
    int RouteIndex,
    string? MadeUpPath,
    IdChoice Id,
    string GarbageId,
    string Query,
    string Authorization,
    string? ContentType,
    HostileBody Body,
    IReadOnlyList<(string Name, string Value)> Headers)
{
    public override string ToString()
    {
        var headers = string.Join("; ", Headers.Select(h => $"{h.Name}: {Shorten(h.Value)}"));
        var path = MadeUpPath ?? $"route #{RouteIndex} with {Id}{(Id == IdChoice.Garbage ? $" '{Shorten(GarbageId)}'" : "")}";
        return $"{Method} {path}{Query} | auth {Authorization} | content-type {ContentType ?? "(none)"} | {Body} | {headers}";
    }

    internal static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + $"…({value.Length} chars)";
}

/// <summary>
/// A body: nothing, the route's plausible body, that body with one member removed or replaced
/// by a hostile value, or raw bytes. <see cref="Member"/> names a member, or when null the
/// plausible body's member number <see cref="MemberIndex"/> (modulo its member count), so most
/// mutations hit a member the route actually reads.
/// </summary>
public sealed record HostileBody(string Kind, string? Member = null, int MemberIndex = 0, string? Value = null, byte[]? Raw = null)
{
    public static readonly HostileBody None = new("none");

    public override string ToString() => Kind switch
    {
        "replaced" => $"plausible body with {Member ?? "member #" + MemberIndex} = {HostileRequest.Shorten(Value!)}",
        "without" => $"plausible body without {Member ?? "member #" + MemberIndex}",
        "raw" => $"raw {Raw!.Length} bytes: {HostileRequest.Shorten(Encoding.UTF8.GetString(Raw))}",
        _ => Kind,
    };
}

/// <summary>The generators: methods, paths, ids, headers and bodies a hostile client sends.</summary>
public static class HostileRequests
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FOO"];

    private static readonly string[] GarbageIds =
    [
        "", " ", "0", "null", "undefined", "not-a-uuid", "00000000-0000-0000-0000-000000000000",
        "{00000000-0000-0000-0000-000000000000}", "$THEIR_CONVERSATION$x", "' OR '1'='1", "1; DROP TABLE conversations",
        "..", "%2e%2e", "ü", "😀", new string('9', 300), "$THEIR_OPERATOR$", "$MY_CONVERSATION$",
    ];

    private static readonly string[] MadeUpPaths =
    [
        "/api", "/api/", "/API/CONVERSATIONS/$MY_CONVERSATION$", "/api/conversations/$THEIR_CONVERSATION$/",
        "/api/conversations//assign", "/api/conversations/$THEIR_CONVERSATION$/assign/extra",
        "/api/operators/$THEIR_OPERATOR$/assign", "/api/conversations/%2e%2e/%2e%2e/health/live",
        "/api/conversations/..%2F..%2Fhealth", "/api/conversations/" + new string('a', 2000),
        "/api/conversations/$THEIR_OPERATOR$", "/api/operators/$THEIR_CONVERSATION$", "/nowhere", "/health/live",
        "/api/conversations/$THEIR_CONVERSATION$/events", "/api/visitors/$THEIR_VISITOR$",
        "/api/conversations/$THEIR_CONVERSATION$/messages", "/api/conversations/$MY_CONVERSATION$/messages/$THEIR_CONVERSATION$",
    ];

    private static readonly string[] Queries =
    [
        "", "", "", "?limit=-1", "?limit=100000&cursor=garbage", "?status=deleted&priority=1",
        "?assignedOperatorId=$THEIR_OPERATOR$", "?unassigned=maybe", "?orgId=$THEIR_ORG$", "?cursor=" + new string('A', 500),
    ];

    private static readonly string[] Authorizations = ["none", "garbage key", "basic", "empty bearer", "their key lower-cased", "two keys"];

    private static readonly string?[] ContentTypes =
    [
        "application/json; charset=utf-8", null, "text/plain",
        "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=utf-16",
        "application/merge-patch+json", "application/json; charset=x-unknown", "garbage/%%", ";;;",
    ];

    /// <summary>Values a member of a plausible body is replaced with.</summary>
    private static readonly string[] HostileValues =
    [
        "5", "-1", "1e309", "true", "null", "[]", "{}", "[1,[2,[3]]]", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0007b\"",
        "\"" + new string('x', 5000) + "\"", "\"not-a-uuid\"", "\"00000000-0000-0000-0000-000000000000\"",
        "\"$THEIR_OPERATOR$\"", "\"$THEIR_CONVERSATION$\"", "\"$THEIR_VISITOR$\"", "\"$MY_OPERATOR$\"",
        "\"2000-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999Z\"", "\"2026-13-45T99:99:99Z\"", "\"\\uD800\"",
        "\"widget\"", "\"ai\"", "\"admin\"", "\"urgent\"", "{\"$ref\":\"#\"}", "{\"a\":{\"b\":{\"c\":[null,true,1.5e-300]}}}",
        Nest(40), "\"<script>alert(1)</script>\"", "123456789012345678901234567890",
    ];

    private static readonly string[] Members = ["operatorId", "resolvedBy", "until", "channel", "priority", "visitorId", "metadata", "name", "email", "role", "active", "orgId", "id", "status", "author", "body"];

    private static readonly byte[][] RawBodies =
    [
        "hello"u8.ToArray(), "<xml/>"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "[]"u8.ToArray(), "null"u8.ToArray(),
        "\"text\""u8.ToArray(), "{\"a\":1,\"a\":2}"u8.ToArray(), "{\"channel\":\"widget\",\"channel\":\"email\"}"u8.ToArray(),
        Encoding.UTF8.GetBytes(Nest(100)), Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        [.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8], [0xFF, 0xFE, 0x00, 0x7B], [0x00, 0x00, 0x00, 0x00],
        [0xEF, 0xBB, 0xBF, .. "{\"channel\":\"widget\"}"u8], "{\"channel\":\"widget\"} trailing"u8.ToArray(),
        "{/*comment*/\"channel\":\"widget\"}"u8.ToArray(), "{'channel':'widget'}"u8.ToArray(),
        Encoding.UTF8.GetBytes("{\"channel\":\"widget\",\"metadata\":{\"pad\":\"" + new string('x', 17 * 1024) + "\"}}"),
        Encoding.UTF8.GetBytes("{\"channel\":\"widget\",\"metadata\":{\"pad\":\"" + new string('x', 70 * 1024) + "\"}}"),
        Encoding.UTF8.GetBytes("{\"channel\":\"widget\",\"visitorId\":\"$THEIR_VISITOR$\"}"),
        Encoding.UTF8.GetBytes("{\"operatorId\":\"$THEIR_OPERATOR$\"}"),
        Encoding.UTF8.GetBytes("{\"name\":\"x\",\"email\":\"dup@example.test\",\"orgId\":\"$THEIR_ORG$\"}"),
    ];

    private static readonly string[] IdempotencyKeys = ["", new string('k', 300), "fixed-key", "ü-key", "key with spaces", "$RANDOM$"];
    private static readonly string[] IfMatches = ["*", "\"1\"", "W/\"1\"", "garbage", "\"99999999999999999999\"", ",,,", ""];
    private static readonly string[] Accepts = ["application/json", "application/xml", "*/*", "text/html;q=0.1", "%%%"];
    private static readonly string[] CorrelationIds = ["valid-id-1", new string('c', 100), "bad id!", "", "ü"];

    public static Arbitrary<HostileRequest> Arbitrary() => Arb.From(Request());

    // Weighted so that most requests get past authentication, routing and the media type and
    // reach validation and the handlers, where the interesting failures live; the rest probe
    // the outer layers.
    private static Gen<HostileRequest> Request() =>
        from routeIndex in Gen.Choose(0, 10_000)
        from madeUp in Gen.Frequency((9, Gen.Constant<string?>(null)), (1, Gen.Elements(MadeUpPaths).Select(p => (string?)p)))
        from method in Gen.Frequency((9, Gen.Constant("")), (1, Gen.Elements(Methods)))
        from id in Gen.Elements(Enum.GetValues<IdChoice>())
        from garbageId in Gen.Elements(GarbageIds)
        from query in Gen.Elements(Queries)
        from authorization in Gen.Frequency((9, Gen.Constant("mine")), (1, Gen.Elements(Authorizations)))
        from contentType in Gen.Frequency((4, Gen.Constant<string?>("application/json")), (1, Gen.Elements(ContentTypes)))
        from body in Body()
        from headers in Headers()
        select new HostileRequest(method, routeIndex, madeUp, id, garbageId, query, authorization, contentType, body, headers);

    private static Gen<HostileBody> Body() => Gen.Frequency(
        (2, Gen.Constant(HostileBody.None)),
        (1, Gen.Constant(new HostileBody("empty", Raw: []))),
        (3, Gen.Constant(new HostileBody("plausible"))),
        (4, from member in Member() from index in Gen.Choose(0, 100) select new HostileBody("without", member, index)),
        (8, from member in Member() from index in Gen.Choose(0, 100) from value in Gen.Elements(HostileValues)
            select new HostileBody("replaced", member, index, value)),
        (3, Gen.Elements(RawBodies).Select(raw => new HostileBody("raw", Raw: raw))));

    /// <summary>Mostly null (a member of the route's own body), sometimes any name.</summary>
    private static Gen<string?> Member() =>
        Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Gen.Elements(Members).Select(m => (string?)m)));

    private static Gen<IReadOnlyList<(string, string)>> Headers() =>
        from key in Optional("Idempotency-Key", IdempotencyKeys)
        from ifMatch in Optional("If-Match", IfMatches)
        from accept in Optional("Accept", Accepts)
        from correlation in Optional("X-Correlation-Id", CorrelationIds)
        select (IReadOnlyList<(string, string)>)new[] { key, ifMatch, accept, correlation }.OfType<(string, string)>().ToList();

    private static Gen<(string, string)?> Optional(string name, string[] values) => Gen.Frequency(
        (2, Gen.Constant<(string, string)?>(null)),
        (1, Gen.Elements(values).Select(v => ((string, string)?)(name, v))));

    private static string Nest(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
}
