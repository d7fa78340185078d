using System.Text;
using Convor.Api.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Convor.Api.FunctionalTests.Idempotency;

/// <summary>What counts as "the same request" for an idempotency key, and which answers are kept.</summary>
public sealed class RequestFingerprintTests
{
    private static string Of(string method, string path, string body) =>
        RequestFingerprint.Compute(method, new PathString(path), StringValues.Empty, Encoding.UTF8.GetBytes(body));

    [Test]
    public void Whitespace_and_path_case_do_not_make_another_request()
    {
        Of("POST", "/api/conversations", "{\"channel\":\"widget\"}")
            .ShouldBe(Of("post", "/API/Conversations/", " {\n  \"channel\" : \"widget\"\n}\n"));
    }

    [TestCase("PATCH", "/api/conversations", "{\"channel\":\"widget\"}")]
    [TestCase("POST", "/api/operators", "{\"channel\":\"widget\"}")]
    [TestCase("POST", "/api/conversations", "{\"channel\":\"email\"}")]
    [TestCase("POST", "/api/conversations", "{\"channel\":\"widget\",\"priority\":\"high\"}")]
    [TestCase("POST", "/api/conversations", "")]
    public void Method_path_and_body_each_make_another_request(string method, string path, string body) =>
        Of(method, path, body).ShouldNotBe(Of("POST", "/api/conversations", "{\"channel\":\"widget\"}"));

    [TestCase("\"2\"")]
    [TestCase("*")]
    [TestCase("")]
    public void If_Match_makes_another_request(string ifMatch)
    {
        static string With(StringValues ifMatch) =>
            RequestFingerprint.Compute("POST", new PathString("/api/conversations/x/close"), ifMatch, "{}"u8);
        With(ifMatch).ShouldNotBe(With("\"1\""));
        With(ifMatch).ShouldNotBe(With(StringValues.Empty));
    }

    [Test]
    public void Member_order_makes_another_request_because_metadata_keeps_its_order() =>
        Of("POST", "/api/conversations", "{\"metadata\":{\"a\":1,\"b\":2}}")
            .ShouldNotBe(Of("POST", "/api/conversations", "{\"metadata\":{\"b\":2,\"a\":1}}"));

    [Test]
    public void A_body_that_is_not_json_is_fingerprinted_as_sent()
    {
        Of("POST", "/x", "not json").ShouldBe(Of("POST", "/x", "not json"));
        Of("POST", "/x", "not json").ShouldNotBe(Of("POST", "/x", "not  json"));
    }

    [Test]
    public void A_fingerprint_is_64_lower_case_hex_characters() =>
        Of("POST", "/x", "{}").ShouldMatch("^[0-9a-f]{64}$");

    [TestCase("a")]
    [TestCase("0190a5b4-8f6e-7c4a-9d2e-1f3b5a7c9e0d")]
    [TestCase("key with spaces and ~!@#$%^&*()")]
    public void Printable_ascii_keys_are_well_formed(string key) => IdempotencyMiddleware.IsWellFormedKey(key).ShouldBeTrue();

    [TestCase(null)]
    [TestCase("")]
    [TestCase("tab\there")]
    [TestCase("naïve")]
    [TestCase("del\u007f")]
    public void Other_keys_are_malformed(string? key) => IdempotencyMiddleware.IsWellFormedKey(key).ShouldBeFalse();

    [Test]
    public void Keys_may_be_255_characters_long_but_no_longer()
    {
        IdempotencyMiddleware.IsWellFormedKey(new string('k', 255)).ShouldBeTrue();
        IdempotencyMiddleware.IsWellFormedKey(new string('k', 256)).ShouldBeFalse();
    }

    [TestCase(200, null)]
    [TestCase(201, null)]
    [TestCase(404, "conversation_not_found")]
    [TestCase(409, "conversation_closed")]
    [TestCase(412, "precondition_failed")]
    [TestCase(422, "operator_inactive")]
    public void Answers_decided_by_the_command_are_recorded(int status, string? code) =>
        IdempotencyMiddleware.IsRecorded(status, code).ShouldBeTrue();

    [TestCase(400, "validation_error")]
    [TestCase(401, "unauthorized")]
    [TestCase(403, "forbidden")]
    [TestCase(409, "concurrency_conflict")]
    [TestCase(413, "payload_too_large")]
    [TestCase(415, "unsupported_media_type")]
    [TestCase(429, "rate_limited")]
    [TestCase(500, "internal_error")]
    [TestCase(503, "service_unavailable")]
    public void Answers_a_retry_should_not_get_again_are_not_recorded(int status, string code) =>
        IdempotencyMiddleware.IsRecorded(status, code).ShouldBeFalse();
}
