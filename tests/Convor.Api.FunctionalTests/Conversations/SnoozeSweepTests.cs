using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>The sweep in small batches: a batch size of 2 here, so one pass runs several transactions.</summary>
public sealed class SnoozeSweepTests(string database) : LifecycleApiTestBase(database)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Snooze:SweepBatchSize"] = "2",
    };

    [Test]
    public async Task One_pass_wakes_every_ended_snooze_of_every_organization_batch_after_batch()
    {
        await SweepOnceAsync(); // whatever earlier tests of this fixture left due
        var ours = new List<string>();
        var theirs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ours.Add(Id(await CreateConversationAsync(Org)));
            theirs.Add(Id(await CreateConversationAsync(OtherOrg)));
        }
        foreach (var id in ours) await SnoozeAsync(Org, id, Now.AddMinutes(1));
        foreach (var id in theirs) await SnoozeAsync(OtherOrg, id, Now.AddMinutes(2));
        Clock.Advance(TimeSpan.FromMinutes(2));

        (await SweepOnceAsync()).ShouldBe(6);

        foreach (var id in ours)
            Types(await EventsAsync(Org, id)).ShouldBe(["created", "snoozed", "reopened"]);
        foreach (var id in theirs)
            (await GetConversationJsonAsync(OtherOrg, id))["status"]!.GetValue<string>().ShouldBe("open");
        (await SweepOnceAsync()).ShouldBe(0);
    }
}
