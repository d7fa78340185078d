using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class CreateAndGetConversationTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task Create_without_visitor_makes_a_new_visitor_and_defaults()
    {
        var created = await CreateConversationAsync(Org, new { channel = "api" });

        created["visitorId"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        created["priority"]!.GetValue<string>().ShouldBe("normal");
        created["aiActive"]!.GetValue<bool>().ShouldBeTrue();
        Canonical(created["metadata"]).ShouldBe("{}");
        created["searchVector"]!.GetValue<string>().ShouldBe("");
    }

    [Test]
    public async Task Create_with_an_existing_visitor_of_the_organization_reuses_it()
    {
        var first = await CreateConversationAsync(Org);
        var visitorId = first["visitorId"]!.GetValue<string>();

        var second = await CreateConversationAsync(Org, new { channel = "email", visitorId });

        second["visitorId"]!.GetValue<string>().ShouldBe(visitorId);
    }

    [Test]
    public async Task Visitor_of_another_organization_is_422_invalid_visitor()
    {
        var theirs = await CreateConversationAsync(OtherOrg);

        using var foreign = await Client.PostAsJsonAsync("/api/conversations", new { channel = "widget", visitorId = theirs["visitorId"]!.GetValue<string>() });
        using var unknown = await Client.PostAsJsonAsync("/api/conversations", new { channel = "widget", visitorId = Guid.NewGuid() });

        var foreignError = await ShouldBeErrorAsync(foreign, HttpStatusCode.UnprocessableEntity, "invalid_visitor");
        var unknownError = await ShouldBeErrorAsync(unknown, HttpStatusCode.UnprocessableEntity, "invalid_visitor");
        foreignError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
    }

    [TestCase("{}", "channel", "is required")]
    [TestCase("{\"channel\":\"fax\"}", "channel", "must be one of: widget, email, api")]
    [TestCase("{\"channel\":\"widget\",\"priority\":\"asap\"}", "priority", "must be one of: low, normal, high, urgent")]
    [TestCase("{\"channel\":\"widget\",\"metadata\":[1,2]}", "metadata", "must be a JSON object")]
    [TestCase("{\"channel\":\"widget\",\"metadata\":\"text\"}", "metadata", "must be a JSON object")]
    [TestCase("{\"channel\":\"widget\",\"visitorId\":\"nope\"}", "visitorId", "must be a UUID")]
    [TestCase("{\"channel\":\"widget\",\"channel\":\"email\"}", "channel", "must appear only once")]
    public async Task Invalid_create_is_400_naming_the_field(string body, string field, string message)
    {
        using var response = await Client.PostAsync("/api/conversations", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain(message);
        // Only the offending field is named, not also a generic complaint about the body.
        error["details"]!.AsObject().Select(d => d.Key).ShouldBe([field]);
    }

    [Test]
    public async Task Metadata_over_16_KiB_is_400()
    {
        var big = new string('m', 16 * 1024);

        using var response = await Client.PostAsJsonAsync("/api/conversations", new { channel = "widget", metadata = new { note = big } });

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]!["metadata"].ShouldNotBeNull();
    }

    [Test]
    public async Task Get_returns_the_conversation_with_its_etag()
    {
        var created = await CreateConversationAsync(Org);

        using var response = await Client.GetAsync($"/api/conversations/{Id(created)}");

        Canonical(await ShouldBeOkAsync(response)).ShouldBe(Canonical(created));
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
    }

    [Test]
    public async Task Get_of_another_organizations_conversation_answers_like_an_unknown_id()
    {
        var theirs = await CreateConversationAsync(OtherOrg);

        using var foreign = await Client.GetAsync($"/api/conversations/{Id(theirs)}");
        using var unknown = await Client.GetAsync($"/api/conversations/{Guid.NewGuid()}");

        var a = await ShouldBeErrorAsync(foreign, HttpStatusCode.NotFound, "conversation_not_found");
        var b = await ShouldBeErrorAsync(unknown, HttpStatusCode.NotFound, "conversation_not_found");
        a["message"]!.GetValue<string>().ShouldBe(b["message"]!.GetValue<string>());
    }
}
