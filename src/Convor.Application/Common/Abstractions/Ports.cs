using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Routing;
using Convor.Domain.Visitors;

namespace Convor.Application.Common.Abstractions;

/// <summary>
/// Who is calling: the organization every request acts in and the API key that acts.
/// The organization is never a request parameter; it comes only from here.
/// </summary>
public interface ICurrentCaller
{
    OrganizationId OrganizationId { get; }

    /// <summary>How the activity log names the caller, e.g. <c>apiKey:0190…</c>.</summary>
    string Actor { get; }
}

/// <summary>Loads and adds conversations, always scoped to one organization.</summary>
public interface IConversationRepository
{
    Task<Conversation?> FindAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken);

    /// <summary>
    /// The conversation and an operator of the same organization, read together in one round
    /// trip (both tracked); the operator is null when the organization has no such operator, the
    /// conversation when it has no such conversation.
    /// </summary>
    Task<(Conversation? Conversation, Operator? Operator)> FindWithOperatorAsync(
        OrganizationId organizationId, ConversationId id, OperatorId operatorId, CancellationToken cancellationToken);

    void Add(Conversation conversation);
}

public interface IOperatorRepository
{
    Task<Operator?> FindAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken);
    Task<bool> EmailExistsAsync(OrganizationId organizationId, string normalizedEmail, CancellationToken cancellationToken);
    void Add(Operator @operator);

    /// <summary>How many of the operator's assigned conversations are not closed.</summary>
    Task<int> CountOpenConversationsAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken);

    /// <summary>
    /// In one query, the organization's operators routing may give a conversation to right now
    /// (active, online, below their maximum), tracked, each with its open conversations.
    /// </summary>
    Task<IReadOnlyList<RoutingCandidate>> LoadRoutingCandidatesAsync(OrganizationId organizationId, CancellationToken cancellationToken);
}

public interface IVisitorRepository
{
    Task<Visitor?> FindAsync(OrganizationId organizationId, VisitorId id, CancellationToken cancellationToken);
    void Add(Visitor visitor);
}

/// <summary>
/// Wakes the routing queue of this process: something committed that may let a waiting
/// conversation be routed (capacity appeared, or a handoff was queued).
/// </summary>
public interface IRoutingQueueSignal
{
    void Notify();
}

/// <summary>
/// Commits everything the current command changed in one transaction, together with the
/// activity-log entries of the domain events it raised.
/// </summary>
public interface IUnitOfWork
{
    /// <exception cref="Exceptions.ConcurrencyConflictException">another writer changed a row first</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every loaded or pending change, so a retry starts from fresh state.</summary>
    void DiscardChanges();
}

/// <summary>
/// Reads of conversations: projected in the database straight to wire models, with no
/// aggregate and no change tracking. Every method is scoped to one organization.
/// </summary>
public interface IConversationQueries
{
    Task<Models.ConversationResult?> GetAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> conversations matching <paramref name="filter"/> as seen at
    /// <paramref name="now"/>, in list order, strictly after <paramref name="after"/> when given.
    /// </summary>
    Task<IReadOnlyList<Models.ConversationResponse>> ListAsync(
        OrganizationId organizationId, ConversationListFilter filter, ConversationListPosition? after, int take,
        DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(OrganizationId organizationId, ConversationId id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> waiting conversations matching <paramref name="filter"/>,
    /// oldest request first, strictly after <paramref name="after"/> when given.
    /// </summary>
    Task<IReadOnlyList<WaitingConversationRow>> ListWaitingAsync(
        OrganizationId organizationId, ConversationListFilter filter, WaitingListPosition? after, int take,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> activity-log entries of the conversation, oldest first, after the given version.</summary>
    Task<IReadOnlyList<ActivityLogItem>> ListEventsAsync(
        OrganizationId organizationId, ConversationId id, long afterVersion, int take, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> messages of the conversation, oldest first, after the given version.</summary>
    Task<IReadOnlyList<Models.MessageItem>> ListMessagesAsync(
        OrganizationId organizationId, ConversationId id, long afterVersion, int take, CancellationToken cancellationToken);

    Task<Models.MessageResponse?> GetMessageAsync(
        OrganizationId organizationId, ConversationId conversationId, MessageId messageId, CancellationToken cancellationToken);
}

/// <summary>Reads of operators, projected like <see cref="IConversationQueries"/>.</summary>
public interface IOperatorQueries
{
    Task<Models.OperatorResponse?> GetAsync(OrganizationId organizationId, OperatorId id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> operators, oldest first, strictly after <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<Models.OperatorResponse>> ListAsync(
        OrganizationId organizationId, OperatorListFilter filter, OperatorListPosition? after, int take, CancellationToken cancellationToken);
}

/// <summary>An API key that authenticated: its id, its organization and what it may do.</summary>
public sealed record AuthenticatedKey(ApiKeyId KeyId, OrganizationId OrganizationId, IReadOnlyList<string> Scopes);

/// <summary>
/// "This key was revoked": whoever revokes a key publishes it, and every authenticator that
/// may still hold the key forgets it. In one process the message is delivered in memory;
/// across instances a broadcast (Redis, say) plugs in here. Without a broadcast, the key
/// cache's short lifetime alone keeps revocation within the contract's one second.
/// </summary>
public interface IApiKeyRevocations
{
    Task PublishRevokedAsync(ApiKeyId keyId, CancellationToken cancellationToken);
}

/// <summary>Turns a presented bearer secret into the key it belongs to, or null.</summary>
public interface IApiKeyAuthenticator
{
    ValueTask<AuthenticatedKey?> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken);
}
