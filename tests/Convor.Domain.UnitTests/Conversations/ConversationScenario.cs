using System.Reflection;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Visitors;
using Microsoft.Extensions.Time.Testing;

namespace Convor.Domain.UnitTests.Conversations;

/// <summary>
/// One organization with a fake clock, and conversations built into the state a test needs.
/// Every builder clears the events of its set-up and moves the clock on by a minute, so the
/// command under test is the only source of events and any timestamp it writes is new.
/// </summary>
internal sealed class ConversationScenario
{
    public static readonly DateTimeOffset Start = new(2026, 6, 23, 8, 58, 0, TimeSpan.Zero);

    private int _operatorCount;

    public ConversationScenario()
    {
        Visitor = Visitor.Create(OrganizationId, Clock.GetUtcNow());
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public OrganizationId OrganizationId { get; } = OrganizationId.New();

    public Visitor Visitor { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public Conversation Open(string metadataJson = "{}", ConversationPriority priority = ConversationPriority.Normal)
    {
        var conversation = Conversation.Create(OrganizationId, Visitor, ConversationChannel.Widget, priority,
            ConversationMetadata.FromJson(metadataJson), Now);
        return Settled(conversation);
    }

    public Conversation AssignedTo(Operator @operator)
    {
        var conversation = Open();
        conversation.AssignOperator(@operator, Now);
        return Settled(conversation);
    }

    /// <summary>Snoozed so that the snooze ends <paramref name="remaining"/> after the returned scenario's <see cref="Now"/>.</summary>
    public Conversation Snoozed(TimeSpan remaining)
    {
        var conversation = Open();
        conversation.Snooze(Now + SettleStep + remaining, Now);
        return Settled(conversation);
    }

    public Conversation Closed(ResolvedBy? resolvedBy = null, Operator? assignedTo = null)
    {
        var conversation = Open();
        if (assignedTo is not null) conversation.AssignOperator(assignedTo, Now);
        conversation.Close(resolvedBy, Now);
        return Settled(conversation);
    }

    /// <summary>
    /// Open, unassigned and the AI not answering: no command of today leads there, but a row
    /// in that state can be loaded, so the close default must handle it. Set the way EF Core
    /// materializes a row: through the private setter.
    /// </summary>
    public Conversation OpenWithAiInactiveAndNoOperator()
    {
        var conversation = Open();
        typeof(Conversation).GetProperty(nameof(Conversation.AiActive), BindingFlags.Public | BindingFlags.Instance)!
            .SetValue(conversation, false);
        return conversation;
    }

    public Operator ActiveOperator() => NewOperator(OrganizationId, active: true);

    public Operator InactiveOperator() => NewOperator(OrganizationId, active: false);

    public Operator OperatorOfAnotherOrganization() => NewOperator(OrganizationId.New(), active: true);

    private Operator NewOperator(OrganizationId organizationId, bool active)
    {
        _operatorCount++;
        return Operator.Create(organizationId, $"Operator {_operatorCount}", $"operator{_operatorCount}@example.com",
            OperatorRole.Agent, active, Now);
    }

    public static ConversationActivity SingleActivity(Conversation conversation) =>
        conversation.DomainEvents.OfType<ConversationActivity>().ShouldHaveSingleItem();

    public static Dictionary<string, (object? Before, object? After)> ChangesOf(ConversationActivity activity) =>
        activity.Changes.ToDictionary(c => c.Field, c => (c.Before, c.After));

    private static readonly TimeSpan SettleStep = TimeSpan.FromMinutes(1);

    private Conversation Settled(Conversation conversation)
    {
        conversation.ClearDomainEvents();
        Clock.Advance(SettleStep);
        return conversation;
    }
}

/// <summary>Every observable field of a conversation, so "nothing changed" is checked in one comparison.</summary>
internal sealed record ConversationState(
    ConversationId Id,
    OrganizationId OrganizationId,
    VisitorId VisitorId,
    OperatorId? AssignedOperatorId,
    ConversationStatus Status,
    ConversationPriority Priority,
    ResolvedBy? ResolvedBy,
    ConversationChannel Channel,
    bool AiActive,
    DateTimeOffset? SnoozedUntil,
    DateTimeOffset? LastMessageAt,
    ConversationMetadata Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string SearchVector,
    long Version,
    int EventCount)
{
    public static ConversationState Of(Conversation c) => new(
        c.Id, c.OrganizationId, c.VisitorId, c.AssignedOperatorId, c.Status, c.Priority, c.ResolvedBy, c.Channel,
        c.AiActive, c.SnoozedUntil, c.LastMessageAt, c.Metadata, c.CreatedAt, c.UpdatedAt, c.SearchVector,
        c.Version, c.DomainEvents.Count);
}
