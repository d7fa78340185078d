using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Visitors;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Convor.Application.UnitTests.Support;

/// <summary>
/// The ports a handler talks to, as mocks, for a caller of one organization, plus a second
/// organization whose rows exist but must never be reached. Repositories answer only for the
/// exact (organization, id) a row was stored under, as the real ones do.
/// </summary>
internal sealed class HandlerScenario
{
    public static readonly DateTimeOffset Start = new(2026, 6, 23, 8, 58, 0, TimeSpan.Zero);

    private int _operatorCount;
    private readonly Dictionary<(OrganizationId, ConversationId), Conversation> _conversations = [];
    private readonly Dictionary<(OrganizationId, OperatorId), Operator> _operators = [];

    public HandlerScenario()
    {
        Caller.SetupGet(c => c.OrganizationId).Returns(OrganizationId);
        Caller.SetupGet(c => c.Actor).Returns("apiKey:test");
        Conversations
            .Setup(r => r.FindWithOperatorAsync(It.IsAny<OrganizationId>(), It.IsAny<ConversationId>(), It.IsAny<OperatorId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrganizationId organization, ConversationId id, OperatorId operatorId, CancellationToken _) =>
                _conversations.TryGetValue((organization, id), out var conversation)
                    ? (conversation, _operators.GetValueOrDefault((organization, operatorId)))
                    : (null, null));
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public OrganizationId OrganizationId { get; } = OrganizationId.New();

    public OrganizationId OtherOrganizationId { get; } = OrganizationId.New();

    public Mock<ICurrentCaller> Caller { get; } = new(MockBehavior.Strict);
    public Mock<IConversationRepository> Conversations { get; } = new();
    public Mock<IOperatorRepository> Operators { get; } = new();
    public Mock<IVisitorRepository> Visitors { get; } = new();
    public Mock<IUnitOfWork> UnitOfWork { get; } = new();
    public Mock<IConversationQueries> ConversationQueries { get; } = new();
    public Mock<IOperatorQueries> OperatorQueries { get; } = new();

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>
    /// A conversation stored under its organization, brought into shape by <paramref name="arrange"/>;
    /// events of its set-up cleared, clock moved on.
    /// </summary>
    public Conversation StoredConversation(OrganizationId? organizationId = null, Action<Conversation>? arrange = null)
    {
        var organization = organizationId ?? OrganizationId;
        var conversation = Conversation.Create(organization, Visitor.Create(organization, Now),
            ConversationChannel.Widget, ConversationPriority.Normal, null, Now);
        arrange?.Invoke(conversation);
        conversation.ClearDomainEvents();
        _conversations[(organization, conversation.Id)] = conversation;
        Conversations.Setup(r => r.FindAsync(organization, conversation.Id, It.IsAny<CancellationToken>())).ReturnsAsync(conversation);
        Clock.Advance(TimeSpan.FromMinutes(1));
        return conversation;
    }

    public Operator StoredOperator(OrganizationId? organizationId = null, bool active = true)
    {
        var organization = organizationId ?? OrganizationId;
        _operatorCount++;
        var @operator = Operator.Create(organization, $"Operator {_operatorCount}", $"operator{_operatorCount}@example.com",
            OperatorRole.Agent, active, Now);
        _operators[(organization, @operator.Id)] = @operator;
        Operators.Setup(r => r.FindAsync(organization, @operator.Id, It.IsAny<CancellationToken>())).ReturnsAsync(@operator);
        return @operator;
    }

    public Visitor StoredVisitor(OrganizationId? organizationId = null)
    {
        var organization = organizationId ?? OrganizationId;
        var visitor = Visitor.Create(organization, Now);
        Visitors.Setup(r => r.FindAsync(organization, visitor.Id, It.IsAny<CancellationToken>())).ReturnsAsync(visitor);
        return visitor;
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public void SavedOnce() => UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);

    public void NeverSaved() => UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);

    /// <summary>Every conversation lookup used the caller's organization, and there was at least one.</summary>
    public void ConversationsLoadedOnlyInCallersOrganization() =>
        OrganizationsOfLookups(Conversations, nameof(IConversationRepository.FindAsync), nameof(IConversationRepository.FindWithOperatorAsync))
            .ShouldAllBeCallers();

    /// <summary>Every operator lookup (alone, or with its conversation) used the caller's organization, and there was at least one.</summary>
    public void OperatorsLoadedOnlyInCallersOrganization() =>
        OrganizationsOfLookups(Operators, nameof(IOperatorRepository.FindAsync))
            .Concat(OrganizationsOfLookups(Conversations, nameof(IConversationRepository.FindWithOperatorAsync)))
            .ShouldAllBeCallers();

    private LookupOrganizations OrganizationsOfLookups<T>(Mock<T> repository, params string[] methods) where T : class =>
        new(OrganizationId, repository.Invocations.Where(i => methods.Contains(i.Method.Name)).Select(i => (OrganizationId)i.Arguments[0]!).ToList());

    private sealed record LookupOrganizations(OrganizationId Caller, IReadOnlyList<OrganizationId> Used)
    {
        public LookupOrganizations Concat(LookupOrganizations other) => this with { Used = [.. Used, .. other.Used] };

        public void ShouldAllBeCallers()
        {
            Used.ShouldNotBeEmpty();
            Used.ShouldAllBe(o => o == Caller);
        }
    }
}
