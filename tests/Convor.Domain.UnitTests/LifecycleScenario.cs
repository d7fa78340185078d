using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Visitors;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Domain.UnitTests;

/// <summary>
/// One organization, a fake clock and helpers to bring a conversation into a given state for
/// the lifecycle tests (reopen, snooze, priority, metadata, snooze expiry).
/// </summary>
internal sealed class LifecycleScenario
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 23, 8, 40, 0, TimeSpan.Zero));
    public OrganizationId OrgId { get; } = OrganizationId.New();

    public DateTimeOffset Now => Clock.GetUtcNow();

    public Conversation NewConversation(string metadataJson = "{}", ConversationPriority priority = ConversationPriority.Normal)
    {
        var conversation = Conversation.Create(OrgId, Visitor.Create(OrgId, Now), ConversationChannel.Widget, priority,
            ConversationMetadata.FromJson(metadataJson), Now);
        conversation.ClearDomainEvents();
        return conversation;
    }

    public Operator NewOperator(bool active = true) =>
        Operator.Create(OrgId, "Ada", $"ada-{Guid.NewGuid():N}@example.test", OperatorRole.Agent, active, Now);

    /// <summary>A conversation snoozed until <paramref name="snoozeFor"/> from now, events cleared.</summary>
    public Conversation SnoozedConversation(TimeSpan snoozeFor)
    {
        var conversation = NewConversation();
        conversation.Snooze(Now + snoozeFor, Now);
        conversation.ClearDomainEvents();
        return conversation;
    }

    public Conversation ClosedConversation(Operator? assigned = null)
    {
        var conversation = NewConversation();
        if (assigned is not null) conversation.AssignOperator(assigned, Now);
        conversation.Close(null, Now);
        conversation.ClearDomainEvents();
        return conversation;
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public static ConversationActivity SingleActivity(Conversation conversation) =>
        conversation.DomainEvents.OfType<ConversationActivity>().ShouldHaveSingleItem();

    public static Dictionary<string, (object? Before, object? After)> ChangesOf(ConversationActivity activity) =>
        activity.Changes.ToDictionary(c => c.Field, c => (c.Before, c.After));
}
