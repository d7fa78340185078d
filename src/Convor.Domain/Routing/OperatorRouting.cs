using Convor.Domain.Common;
using Convor.Domain.Operators;

namespace Convor.Domain.Routing;

/// <summary>An operator routing may consider, with how many of its assigned conversations are not closed.</summary>
public sealed record RoutingCandidate(Operator Operator, int OpenConversations);

/// <summary>
/// Who gets a conversation handed over from the AI: an operator of the conversation's
/// organization that is active, online and below its maximum; the fewest open conversations
/// wins; ties go to the one whose last routed assignment is oldest (never routed counts as
/// oldest), then to the oldest operator, then the lowest id, so that the choice is always the
/// same for the same input. Pure: the caller loads the candidates and saves the result.
/// </summary>
public static class OperatorRouting
{
    public static Operator? Choose(OrganizationId organizationId, IEnumerable<RoutingCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .Where(c => c.Operator.OrganizationId == organizationId && c.Operator.CanTakeRoutedConversation(c.OpenConversations))
            .OrderBy(c => c.OpenConversations)
            .ThenBy(c => c.Operator.LastRoutedAt ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.Operator.CreatedAt)
            .ThenBy(c => c.Operator.Id.Value)
            .Select(c => c.Operator)
            .FirstOrDefault();
    }
}
