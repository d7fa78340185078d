using System.Net;
using System.Net.Http.Json;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Routing;

/// <summary>Operators' availability and maximum: defaults, PATCH, validation and the list filter.</summary>
public sealed class OperatorAvailabilityTests(string database) : RoutingApiTestBase(database)
{
    [Test]
    public async Task A_new_operator_is_offline_with_a_maximum_of_5_and_no_open_conversations()
    {
        var created = await CreateOperatorAsync(Org);

        created["availability"]!.GetValue<string>().ShouldBe("offline");
        created["maxConversations"]!.GetValue<int>().ShouldBe(5);
        created["openConversations"]!.GetValue<int>().ShouldBe(0);
    }

    [Test]
    public async Task Availability_and_maximum_are_set_with_PATCH_and_the_same_values_again_change_nothing()
    {
        var id = Id(await CreateOperatorAsync(Org));

        var changed = await PatchOperatorAsync(Org, id, new { availability = "away", maxConversations = 12 });
        var again = await PatchOperatorAsync(Org, id, new { availability = "away", maxConversations = 12 });

        changed["availability"]!.GetValue<string>().ShouldBe("away");
        changed["maxConversations"]!.GetValue<int>().ShouldBe(12);
        Canonical(again).ShouldBe(Canonical(changed));
        Canonical(await GetOperatorAsync(Org, id)).ShouldBe(Canonical(changed));
    }

    [TestCase("{\"maxConversations\":0}", "maxConversations")]
    [TestCase("{\"maxConversations\":101}", "maxConversations")]
    [TestCase("{\"availability\":\"busy\"}", "availability")]
    public async Task Out_of_range_or_unknown_values_are_400_naming_the_field(string body, string field)
    {
        var id = Id(await CreateOperatorAsync(Org));

        using var response = await Org.Client.PatchAsync($"/api/operators/{id}", Json(body));

        var error = await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "validation_error");
        error["details"]![field].ShouldNotBeNull(error.ToJsonString());
    }

    [Test]
    public async Task The_list_filters_on_any_of_the_given_availabilities()
    {
        var online = await OperatorAsync(Org, availability: "online");
        var away = await OperatorAsync(Org, availability: "away");
        var offline = await OperatorAsync(Org, availability: "offline");
        await OperatorAsync(OtherOrg, availability: "online");

        (await ListIdsAsync("availability=online")).ShouldBe([online]);
        (await ListIdsAsync("availability=online&availability=away")).ShouldBe([online, away]);
        (await ListIdsAsync("availability=away,offline")).ShouldBe([away, offline]);
        (await ListIdsAsync("")).ShouldBe([online, away, offline]);
        using var bad = await Org.Client.GetAsync("/api/operators?availability=busy");
        await ShouldBeErrorAsync(bad, HttpStatusCode.BadRequest, "validation_error");
    }

    [Test]
    public async Task A_filtered_operator_list_pages_with_a_cursor_bound_to_its_filter()
    {
        var first = await OperatorAsync(Org);
        var second = await OperatorAsync(Org);
        await OperatorAsync(Org, availability: "away");

        using var page = await Org.Client.GetAsync("/api/operators?availability=online&limit=1");
        var body = await ShouldBeOkAsync(page);
        var cursor = Uri.EscapeDataString(body["nextCursor"]!.GetValue<string>());
        using var next = await Org.Client.GetAsync($"/api/operators?availability=online&limit=1&cursor={cursor}");
        using var otherFilter = await Org.Client.GetAsync($"/api/operators?limit=1&cursor={cursor}");

        body["data"]!.AsArray().Select(o => Id(o!.AsObject())).ShouldBe([first]);
        (await ShouldBeOkAsync(next))["data"]!.AsArray().Select(o => Id(o!.AsObject())).ShouldBe([second]);
        await ShouldBeErrorAsync(otherFilter, HttpStatusCode.BadRequest, "validation_error");
    }

    private async Task<IReadOnlyList<string>> ListIdsAsync(string query)
    {
        using var response = await Org.Client.GetAsync("/api/operators?limit=100&" + query);
        return (await ShouldBeOkAsync(response))["data"]!.AsArray().Select(o => Id(o!.AsObject())).ToList();
    }
}
