using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class UnassignTests(string database) : ApiTestBase(database)
{
    [Test]
    public async Task Unassign_clears_operator_and_gives_conversation_back_to_ai()
    {
        var conversation = await CreateConversationAsync(Org);
        await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(await CreateOperatorAsync(Org)) });

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/unassign", null);
        var body = await ShouldBeOkAsync(response);

        body["assignedOperatorId"].ShouldBeNull();
        body.ContainsKey("assignedOperatorId").ShouldBeTrue();
        body["aiActive"]!.GetValue<bool>().ShouldBeTrue();
        response.Headers.ETag!.Tag.ShouldBe("\"3\"");
    }

    [Test]
    public async Task Unassigning_an_unassigned_conversation_changes_nothing()
    {
        var conversation = await CreateConversationAsync(Org);

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/unassign", null);

        Canonical(await ShouldBeOkAsync(response)).ShouldBe(Canonical(conversation));
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
    }

    [Test]
    public async Task Closed_conversation_is_409_conversation_closed()
    {
        var conversation = await CreateConversationAsync(Org);
        await PostAsync(Org, $"/api/conversations/{Id(conversation)}/assign", new { operatorId = Id(await CreateOperatorAsync(Org)) });
        var closed = await PostAsync(Org, $"/api/conversations/{Id(conversation)}/close", new { });

        using var response = await Client.PostAsync($"/api/conversations/{Id(conversation)}/unassign", null);

        await ShouldBeErrorAsync(response, HttpStatusCode.Conflict, "conversation_closed");
        Canonical(await GetConversationJsonAsync(Org, Id(conversation))).ShouldBe(Canonical(closed));
    }

    [Test]
    public async Task Conversation_of_another_organization_is_404_and_stays_assigned()
    {
        var theirs = await CreateConversationAsync(OtherOrg);
        var assigned = await PostAsync(OtherOrg, $"/api/conversations/{Id(theirs)}/assign", new { operatorId = Id(await CreateOperatorAsync(OtherOrg)) });

        using var response = await Client.PostAsync($"/api/conversations/{Id(theirs)}/unassign", null);

        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "conversation_not_found");
        Canonical(await GetConversationJsonAsync(OtherOrg, Id(theirs))).ShouldBe(Canonical(assigned));
    }
}
