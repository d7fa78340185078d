using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Convor.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Convor.Api.FunctionalTests.Hostile;

/// <summary>Garbage a careless or hostile integration sends: each is a clean 4xx with the envelope.</summary>
public sealed class HostileInputTests(string database) : ApiTestBase(database)
{
    private const int Limit = 64 * 1024;

    [Test]
    public async Task A_body_over_64_KiB_with_a_content_length_is_payload_too_large()
    {
        using var response = await Client.PostAsync("/api/conversations", Json(BodyOfSize(Limit + 1)));

        await ShouldBeErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Test]
    public async Task A_chunked_body_over_64_KiB_is_payload_too_large()
    {
        var bytes = Encoding.UTF8.GetBytes(BodyOfSize(Limit + 1));
        using var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request);

        request.Content.Headers.ContentLength.ShouldBeNull();
        await ShouldBeErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        (await OrganizationSnapshot.TakeAsync(Factory, Org.OrgId)).ShouldContain("Conversation: 0");
    }

    [Test]
    public async Task A_body_of_exactly_64_KiB_is_read()
    {
        // Metadata is limited to 16 KiB, so a 64 KiB body is read and then refused by validation, not by size.
        using var response = await Client.PostAsync("/api/conversations", Json(BodyOfSize(Limit)));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["metadata"].ShouldNotBeNull();
    }

    [TestCase("text/plain", "{\"channel\":\"widget\"}")]
    [TestCase("application/xml", "<conversation channel=\"widget\"/>")]
    [TestCase("application/x-www-form-urlencoded", "channel=widget")]
    [TestCase("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nwidget\r\n--x--")]
    [TestCase("application/json; charset=utf-16", "{\"a\":1}")]
    [TestCase("application/json; charset=iso-8859-1", "{\"channel\":\"widget\"}")]
    public async Task A_body_that_is_not_json_is_unsupported_media_type_on_every_command(string contentType, string body)
    {
        var conversation = await CreateConversationAsync(Org);
        string[] paths = ["/api/conversations", "/api/operators", .. new[] { "assign", "unassign", "close" }.Select(c => $"/api/conversations/{Id(conversation)}/{c}")];

        foreach (var path in paths)
        {
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var response = await Client.PostAsync(path, content);
            await ShouldBeErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        }
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(conversation));
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/json; charset=UTF-8")]
    public async Task Json_in_utf8_is_read(string contentType)
    {
        using var content = new StringContent("{\"channel\":\"widget\"}", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await Client.PostAsync("/api/conversations", content);

        await ShouldBeOkAsync(response, HttpStatusCode.Created);
    }

    [Test]
    public async Task A_body_without_a_content_type_is_unsupported_media_type()
    {
        var conversation = await CreateConversationAsync(Org);
        using var content = new ByteArrayContent("{\"resolvedBy\":\"ai\"}"u8.ToArray());

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/close", content);

        await ShouldBeErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Test]
    public async Task An_empty_body_with_any_content_type_is_no_body()
    {
        var conversation = await CreateConversationAsync(Org);
        using var content = new StringContent(string.Empty, Encoding.UTF8, "text/plain");

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/close", content);

        (await ShouldBeOkAsync(response))["status"]!.GetValue<string>().ShouldBe("closed");
    }

    [Test]
    public async Task Json_nested_deeper_than_32_levels_is_a_validation_error()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);

        using var response = await Client.PostAsync("/api/conversations", Json($"{{\"channel\":\"widget\",\"metadata\":{nested}}}"));

        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
    }

    [Test]
    public async Task Json_nested_32_levels_deep_is_accepted()
    {
        // The body object is level 1 and metadata level 2, so 30 more objects make 32.
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 30)) + "1" + new string('}', 30);

        using var response = await Client.PostAsync("/api/conversations", Json($"{{\"channel\":\"widget\",\"metadata\":{nested}}}"));

        await ShouldBeOkAsync(response, HttpStatusCode.Created);
    }

    [TestCase("{\"channel\":\"widget\",\"channel\":\"email\"}", "channel")]
    [TestCase("{\"channel\":\"widget\",\"metadata\":{\"a\":1,\"a\":2}}", "metadata")]
    [TestCase("{\"channel\":\"widget\",\"Channel\":\"email\"}", "Channel")]
    public async Task Duplicate_properties_are_a_validation_error(string body, string field)
    {
        using var response = await Client.PostAsync("/api/conversations", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field].ShouldNotBeNull();
    }

    [TestCase("name", "a\\u0000b")]
    [TestCase("name", "tab\\there")]
    [TestCase("name", "bell\\u0007")]
    [TestCase("name", "c1\\u0085")]
    [TestCase("email", "x\\u0007y@example.com")]
    [TestCase("email", "line\\nbreak@example.com")]
    public async Task Control_characters_in_names_and_emails_are_a_validation_error(string field, string escaped)
    {
        var name = field == "name" ? escaped : "Ann";
        var email = field == "email" ? escaped : "ann@example.com";

        using var response = await Client.PostAsync("/api/operators", Json($"{{\"name\":\"{name}\",\"email\":\"{email}\"}}"));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain("must not contain control characters");
    }

    [Test]
    public async Task Metadata_keeps_control_characters_as_sent()
    {
        using var response = await Client.PostAsync("/api/conversations", Json("{\"channel\":\"widget\",\"metadata\":{\"raw\":\"a\\u0000b\\tc\\u001f\"}}"));

        var created = await ShouldBeOkAsync(response, HttpStatusCode.Created);
        created["metadata"]!["raw"]!.GetValue<string>().ShouldBe("a\0b\tc\u001f");
        (await GetConversationJsonAsync(Org, Id(created)))["metadata"]!["raw"]!.GetValue<string>().ShouldBe("a\0b\tc\u001f");
    }

    [TestCase("name", 201)]
    [TestCase("email", 321)]
    public async Task Overlong_strings_are_a_validation_error(string field, int length)
    {
        var name = field == "name" ? new string('n', length) : "Ann";
        var email = field == "email" ? new string('e', length - "@example.com".Length) + "@example.com" : "ann@example.com";

        using var response = await Client.PostAsync("/api/operators", Json($"{{\"name\":\"{name}\",\"email\":\"{email}\"}}"));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field].ShouldNotBeNull();
    }

    [TestCase("/api/operators", "{\"name\":5,\"email\":\"a@example.com\"}", "name")]
    [TestCase("/api/operators", "{\"name\":\"Ann\",\"email\":[\"a@example.com\"]}", "email")]
    [TestCase("/api/operators", "{\"name\":\"Ann\",\"email\":\"a@example.com\",\"role\":1}", "role")]
    [TestCase("/api/conversations", "{\"channel\":true}", "channel")]
    [TestCase("/api/conversations", "{\"channel\":\"widget\",\"visitorId\":12345}", "visitorId")]
    public async Task Numbers_and_other_values_where_strings_belong_are_a_validation_error(string path, string body, string field)
    {
        using var response = await Client.PostAsync(path, Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field].ShouldNotBeNull();
    }

    [Test]
    public async Task Missing_required_strings_are_a_validation_error()
    {
        using var noName = await Client.PostAsync("/api/operators", Json("{\"email\":\"a@example.com\"}"));
        using var noEmail = await Client.PostAsync("/api/operators", Json("{\"name\":\"Ann\"}"));

        (await ShouldBeErrorAsync(noName, HttpStatusCode.BadRequest, "validation_error"))["details"]!["name"].ShouldNotBeNull();
        (await ShouldBeErrorAsync(noEmail, HttpStatusCode.BadRequest, "validation_error"))["details"]!["email"].ShouldNotBeNull();
    }

    [Test]
    public async Task Invalid_utf8_is_a_validation_error_in_fields_and_in_metadata()
    {
        byte[] badName = [.. "{\"name\":\"a"u8, 0xC3, 0x28, .. "\",\"email\":\"a@example.com\"}"u8];
        byte[] badMetadata = [.. "{\"channel\":\"widget\",\"metadata\":{\"a\":\""u8, 0xFF, 0xFE, .. "\"}}"u8];
        byte[] badKey = [.. "{\"channel\":\"widget\",\"metadata\":{\""u8, 0xC0, 0xAF, .. "\":1}}"u8];

        using var name = await Client.PostAsync("/api/operators", JsonBytes(badName));
        using var metadata = await Client.PostAsync("/api/conversations", JsonBytes(badMetadata));
        using var key = await Client.PostAsync("/api/conversations", JsonBytes(badKey));

        await ShouldBeErrorAsync(name, HttpStatusCode.BadRequest, "validation_error");
        await ShouldBeErrorAsync(metadata, HttpStatusCode.BadRequest, "validation_error");
        await ShouldBeErrorAsync(key, HttpStatusCode.BadRequest, "validation_error");
        (await OrganizationSnapshot.TakeAsync(Factory, Org.OrgId)).ShouldContain("Conversation: 0");
    }

    [TestCase("{\"channel\":\"widget\",\"metadata\":{\"a\":\"\\uD800\"}}")]
    [TestCase("{\"channel\":\"widget\",\"metadata\":{\"a\":\"\\uDC00x\"}}")]
    [TestCase("{\"channel\":\"widget\",\"metadata\":{\"a\":[\"ok\",{\"b\":\"\\uD83D\"}]}}")]
    public async Task Lone_surrogates_in_metadata_are_a_validation_error(string body)
    {
        using var response = await Client.PostAsync("/api/conversations", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["metadata"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["must contain only valid Unicode text"]);
    }

    [Test]
    public async Task A_lone_surrogate_in_a_metadata_property_name_is_a_validation_error()
    {
        using var response = await Client.PostAsync("/api/conversations", Json("{\"channel\":\"widget\",\"metadata\":{\"\\uD800\":1}}"));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["metadata"].ShouldNotBeNull();
    }

    [Test]
    public async Task Metadata_with_a_surrogate_pair_is_accepted()
    {
        using var response = await Client.PostAsync("/api/conversations", Json("{\"channel\":\"widget\",\"metadata\":{\"emoji\":\"\\uD83D\\uDE00\"}}"));

        (await ShouldBeOkAsync(response, HttpStatusCode.Created))["metadata"]!["emoji"]!.GetValue<string>().ShouldBe("😀");
    }

    [TestCase("application/xml")]
    [TestCase("text/html")]
    [TestCase("application/json;q=0, */*;q=0")]
    public async Task Any_accept_header_gets_json(string accept)
    {
        var conversation = await CreateConversationAsync(Org);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{Id(conversation)}");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await Client.SendAsync(request);

        await ShouldBeOkAsync(response);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [TestCase("/api/conversations/{id}", 200)]
    [TestCase("/api/conversations/not-a-uuid", 400)]
    [TestCase("/api/nowhere", 404)]
    [TestCase("/health/live", 200)]
    public async Task Every_answer_says_nosniff_and_no_store(string path, int status)
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.GetAsync(path.Replace("{id}", Id(conversation), StringComparison.Ordinal));

        ((int)response.StatusCode).ShouldBe(status);
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Test]
    public async Task Unauthenticated_and_rejected_answers_say_nosniff_too()
    {
        using var anonymous = Factory.CreateClient();
        using var unauthorized = await anonymous.GetAsync($"/api/conversations/{Guid.NewGuid()}");
        using var rejected = await Client.PostAsync("/api/conversations", Json("{\"channel\":\"widget\",\"metadata\":{\"a\":\"\\uD800\"}}"));

        await ShouldBeErrorAsync(unauthorized, HttpStatusCode.Unauthorized, "unauthorized");
        await ShouldBeErrorAsync(rejected, HttpStatusCode.BadRequest, "validation_error");
        unauthorized.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        rejected.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }

    [Test]
    public void Kestrel_sends_no_server_banner_and_limits_bodies_to_64_KiB()
    {
        var kestrel = Factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        kestrel.AddServerHeader.ShouldBeFalse();
        kestrel.Limits.MaxRequestBodySize.ShouldBe(Limit);
    }

    private static string BodyOfSize(int bytes)
    {
        const string head = "{\"channel\":\"widget\",\"metadata\":{\"pad\":\"";
        const string tail = "\"}}";
        return head + new string('x', bytes - head.Length - tail.Length) + tail;
    }

    private static ByteArrayContent JsonBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A body whose length is unknown up front, so it is sent chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
