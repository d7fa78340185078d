using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class ActivityLogEntryTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void An_entry_records_the_event_of_a_change_under_the_callers_name()
    {
        var conversation = _scenario.Open();
        _scenario.Clock.Advance(TimeSpan.FromTicks(777));
        conversation.Close(null, _scenario.Now);
        var closed = (ConversationClosed)conversation.DomainEvents.Single();

        var entry = ActivityLogEntry.Record(closed, "apiKey:0190", """{"before":{},"after":{}}""");

        entry.Id.ShouldNotBe(Guid.Empty);
        entry.OrganizationId.ShouldBe(_scenario.OrganizationId);
        entry.ConversationId.ShouldBe(conversation.Id);
        entry.Version.ShouldBe(conversation.Version);
        entry.Type.ShouldBe("closed");
        entry.Actor.ShouldBe("apiKey:0190");
        entry.Data.ShouldBe("""{"before":{},"after":{}}""");
        entry.OccurredAt.ShouldBe(conversation.UpdatedAt);
        entry.OccurredAt.Ticks.ShouldBe(_scenario.Now.Ticks - 777);
    }

    [Test]
    public void An_event_that_names_its_own_actor_keeps_it_over_the_caller()
    {
        var conversation = _scenario.Open();
        conversation.Close(null, _scenario.Now);
        var closedBySystem = (ConversationClosed)conversation.DomainEvents.Single() with { Actor = ActivityActor.System };

        ActivityLogEntry.Record(closedBySystem, "apiKey:0190", "{}").Actor.ShouldBe("system");
    }

    [Test]
    public void Entries_of_successive_changes_are_ordered_by_version()
    {
        var conversation = _scenario.Open();
        conversation.AssignOperator(_scenario.ActiveOperator(), _scenario.Now);
        conversation.Unassign(_scenario.Now);
        conversation.Close(null, _scenario.Now);

        var versions = conversation.DomainEvents.Cast<ConversationActivity>()
            .Select(e => ActivityLogEntry.Record(e, "apiKey:0190", "{}").Version);

        versions.ShouldBe([2L, 3L, 4L]);
    }
}
