using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class AssignOperatorTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task Assign_sets_operator_and_hands_over_from_ai()
    {
        var conversation = await CreateConversationAsync(Org);
        var op = await CreateOperatorAsync(Org);

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(op) });
        var body = await ShouldBeOkAsync(response);

        body["assignedOperatorId"]!.GetValue<string>().ShouldBe(Id(op));
        body["aiActive"]!.GetValue<bool>().ShouldBeFalse();
        body["status"]!.GetValue<string>().ShouldBe("open");
        response.Headers.ETag.ShouldNotBeNull();
    }

    [Test]
    public async Task Conversation_of_another_organization_is_not_found_and_unchanged()
    {
        var theirs = await CreateConversationAsync(OtherOrg);
        var mine = await CreateOperatorAsync(Org);

        using var response = await Client.PostAsJsonAsync($"/api/conversations/{Id(theirs)}/assign", new { operatorId = Id(mine) });
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");

        Canonical(await GetConversationJsonAsync(OtherOrg, Id(theirs))).ShouldBe(Canonical(theirs));
    }
}
