using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary><c>POST /api/conversations</c> with an implicit visitor, an existing one, or another organization's.</summary>
public sealed class CreateConversationVisitorTests(string database) : LifecycleApiTestBase(database)
{
    [Test]
    public async Task Without_a_visitor_a_new_one_is_made_and_the_creation_is_logged()
    {
        var key = await KeyOfOrgAsync();

        using var response = await key.Client.PostAsJsonAsync("/api/conversations", new { channel = "email", priority = "high", metadata = new { subject = "Crème brûlée" } });
        var body = await ShouldBeOkAsync(response, HttpStatusCode.Created);

        response.Headers.Location!.ToString().ShouldEndWith($"/api/conversations/{Id(body)}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
        body["orgId"]!.GetValue<Guid>().ShouldBe(Org.OrgId);
        body["visitorId"]!.GetValue<Guid>().ShouldNotBe(Guid.Empty);
        body["searchVector"]!.GetValue<string>().ShouldBe("creme brulee");
        var created = (await EventsAsync(Org, Id(body))).ShouldHaveSingleItem()!;
        created["type"]!.GetValue<string>().ShouldBe("created");
        created["actor"]!.GetValue<string>().ShouldBe($"apiKey:{key.KeyId}");
        created["conversationId"]!.GetValue<string>().ShouldBe(Id(body));
        created["data"]!["after"]!["channel"]!.GetValue<string>().ShouldBe("email");
        created["data"]!["before"]!["status"].ShouldBeNull();
    }

    [Test]
    public async Task An_existing_visitor_of_the_organization_gets_a_second_conversation()
    {
        var first = await CreateConversationAsync(Org);
        var visitorId = first["visitorId"]!.GetValue<string>();

        var second = await CreateConversationAsync(Org, new { channel = "widget", visitorId });

        second["visitorId"]!.GetValue<string>().ShouldBe(visitorId);
        Id(second).ShouldNotBe(Id(first));
    }

    [Test]
    public async Task A_visitor_of_another_organization_is_422_invalid_visitor_like_an_unknown_one()
    {
        var theirs = await CreateConversationAsync(OtherOrg);
        var before = await ListAsync(Org);

        using var foreign = await Client.PostAsJsonAsync("/api/conversations", new { channel = "widget", visitorId = theirs["visitorId"] });
        using var unknown = await Client.PostAsJsonAsync("/api/conversations", new { channel = "widget", visitorId = Guid.NewGuid() });

        var foreignError = await ShouldBeErrorAsync(foreign, HttpStatusCode.UnprocessableEntity, "invalid_visitor");
        var unknownError = await ShouldBeErrorAsync(unknown, HttpStatusCode.UnprocessableEntity, "invalid_visitor");
        foreignError["message"]!.GetValue<string>().ShouldBe(unknownError["message"]!.GetValue<string>());
        Canonical(await ListAsync(Org)).ShouldBe(Canonical(before));
    }

    [Test]
    public async Task A_missing_channel_is_400()
    {
        using var response = await Client.PostAsJsonAsync("/api/conversations", new { priority = "low" });

        await ShouldBeValidationErrorOnAsync(response, "channel", "is required");
    }
}
