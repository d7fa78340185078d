using System.Collections.ObjectModel;
using System.Linq.Expressions;

namespace Convor.Domain.Conversations;

/// <summary>
/// The one rule for a snooze whose end has passed: it counts as open, in every read, every
/// list filter, every command and the sweep, whether or not the sweep has written that down
/// yet. <see cref="Rule"/> is written once; the in-memory check is compiled from it and the
/// query forms are built from it, so a database filter and an aggregate can never disagree.
/// </summary>
public static class EndedSnooze
{
    /// <summary>Snoozed, and the end is at or before <c>now</c> (a snooze always has an end; none is not ended).</summary>
    private static readonly Expression<Func<ConversationStatus, DateTimeOffset?, DateTimeOffset, bool>> Rule =
        (status, snoozedUntil, now) => status == ConversationStatus.Snoozed && snoozedUntil <= now;

    private static readonly Func<ConversationStatus, DateTimeOffset?, DateTimeOffset, bool> Compiled = Rule.Compile();

    /// <summary>Whether a conversation in <paramref name="status"/>, snoozed until <paramref name="snoozedUntil"/>, has a snooze that has ended at <paramref name="now"/>.</summary>
    public static bool HasEnded(ConversationStatus status, DateTimeOffset? snoozedUntil, DateTimeOffset now) =>
        Compiled(status, snoozedUntil, now);

    /// <summary>The status a reader sees at <paramref name="now"/>: an ended snooze is open.</summary>
    public static ConversationStatus StatusSeenAt(ConversationStatus status, DateTimeOffset? snoozedUntil, DateTimeOffset now) =>
        HasEnded(status, snoozedUntil, now) ? ConversationStatus.Open : status;

    /// <summary>The query form of <see cref="HasEnded"/>: conversations whose snooze has ended at <paramref name="now"/>.</summary>
    public static Expression<Func<Conversation, bool>> HasEndedAt(DateTimeOffset now)
    {
        var conversation = Expression.Parameter(typeof(Conversation), "c");
        return Expression.Lambda<Func<Conversation, bool>>(OnConversation(Rule, conversation, now), conversation);
    }

    /// <summary>
    /// The query form of "a reader sees one of <paramref name="statuses"/>" (<see cref="StatusSeenAt"/>):
    /// <c>open</c> includes ended snoozes, <c>snoozed</c> excludes them.
    /// </summary>
    public static Expression<Func<Conversation, bool>> IsSeenAsAnyOf(IEnumerable<ConversationStatus> statuses, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var conversation = Expression.Parameter(typeof(Conversation), "c");
        var anyOf = statuses.Select(status => OnConversation(SeenAs(status), conversation, now)).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Conversation, bool>>(anyOf, conversation);
    }

    private static Expression<Func<ConversationStatus, DateTimeOffset?, DateTimeOffset, bool>> SeenAs(ConversationStatus status) => status switch
    {
        ConversationStatus.Open => SeenOpen,
        ConversationStatus.Snoozed => SeenSnoozed,
        _ => (seen, _, _) => seen == status,
    };

    private static readonly Expression<Func<ConversationStatus, DateTimeOffset?, DateTimeOffset, bool>> SeenOpen =
        (status, snoozedUntil, now) => status == ConversationStatus.Open || HasEnded(status, snoozedUntil, now);

    private static readonly Expression<Func<ConversationStatus, DateTimeOffset?, DateTimeOffset, bool>> SeenSnoozed =
        (status, snoozedUntil, now) => status == ConversationStatus.Snoozed && !HasEnded(status, snoozedUntil, now);

    /// <summary>
    /// Turns a predicate over (status, snooze end, now) into a body over a conversation's columns:
    /// calls to <see cref="HasEnded"/> are replaced by <see cref="Rule"/> itself, and
    /// <paramref name="now"/> becomes a captured value (a query parameter, not a literal, so the
    /// database reuses one plan).
    /// </summary>
    private static Expression OnConversation(
        Expression<Func<ConversationStatus, DateTimeOffset?, DateTimeOffset, bool>> predicate, ParameterExpression conversation, DateTimeOffset now) =>
        new Substitution(predicate.Parameters,
        [
            Expression.Property(conversation, nameof(Conversation.Status)),
            Expression.Property(conversation, nameof(Conversation.SnoozedUntil)),
            Expression.Field(Expression.Constant(new Captured(now)), nameof(Captured.Now)),
        ]).Visit(predicate.Body);

    private sealed class Captured(DateTimeOffset now)
    {
#pragma warning disable CA1051 // a field, like a compiler-made closure, so query providers read it as a parameter
        public readonly DateTimeOffset Now = now;
#pragma warning restore CA1051
    }

    /// <summary>Replaces the given parameters by expressions, and inlines <see cref="HasEnded"/> as <see cref="Rule"/>.</summary>
    private sealed class Substitution(ReadOnlyCollection<ParameterExpression> parameters, IReadOnlyList<Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            var index = parameters.IndexOf(node);
            return index >= 0 ? replacements[index] : node;
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(EndedSnooze) || node.Method.Name != nameof(HasEnded)) return base.VisitMethodCall(node);
            var arguments = node.Arguments.Select(Visit).ToList();
            return new Substitution(Rule.Parameters, arguments!).Visit(Rule.Body);
        }
    }
}
