using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

/// <summary>
/// "A snooze that has ended counts as open": the in-memory rule at its boundary, and its query
/// forms (compiled here, translated to SQL by the list and sweep) agreeing with it on every state.
/// </summary>
public sealed class EndedSnoozeTests
{
    private readonly ConversationScenario _scenario = new();

    [Test]
    public void A_snooze_has_ended_from_the_instant_of_its_end_and_only_a_snooze()
    {
        var end = _scenario.Now;

        EndedSnooze.HasEnded(ConversationStatus.Snoozed, end, end.AddTicks(-1)).ShouldBeFalse();
        EndedSnooze.HasEnded(ConversationStatus.Snoozed, end, end).ShouldBeTrue();
        EndedSnooze.HasEnded(ConversationStatus.Snoozed, null, end).ShouldBeFalse();
        EndedSnooze.HasEnded(ConversationStatus.Open, end, end.AddHours(1)).ShouldBeFalse();
        EndedSnooze.HasEnded(ConversationStatus.Closed, end, end.AddHours(1)).ShouldBeFalse();
        EndedSnooze.StatusSeenAt(ConversationStatus.Snoozed, end, end).ShouldBe(ConversationStatus.Open);
        EndedSnooze.StatusSeenAt(ConversationStatus.Snoozed, end, end.AddTicks(-1)).ShouldBe(ConversationStatus.Snoozed);
    }

    [Test]
    public void The_query_forms_agree_with_the_rule_on_every_status_and_instant()
    {
        var conversations = new[] { _scenario.Open(), _scenario.Closed(), _scenario.Snoozed(TimeSpan.FromMinutes(10)) };
        var end = conversations[2].SnoozedUntil!.Value;
        var statusSets = new[]
        {
            new[] { ConversationStatus.Open }, [ConversationStatus.Snoozed], [ConversationStatus.Closed],
            [ConversationStatus.Open, ConversationStatus.Snoozed], [ConversationStatus.Snoozed, ConversationStatus.Closed],
            [ConversationStatus.Open, ConversationStatus.Closed], [ConversationStatus.Open, ConversationStatus.Snoozed, ConversationStatus.Closed],
        };

        foreach (var now in new[] { end.AddTicks(-1), end, end.AddDays(1) })
        {
            var hasEnded = EndedSnooze.HasEndedAt(now).Compile();
            foreach (var conversation in conversations)
            {
                hasEnded(conversation).ShouldBe(EndedSnooze.HasEnded(conversation.Status, conversation.SnoozedUntil, now));
                foreach (var statuses in statusSets)
                {
                    EndedSnooze.IsSeenAsAnyOf(statuses, now).Compile()(conversation)
                        .ShouldBe(statuses.Contains(conversation.EffectiveStatus(now)), $"{conversation.Status} at {now:O} as any of {string.Join(",", statuses)}");
                }
            }
        }
    }
}
