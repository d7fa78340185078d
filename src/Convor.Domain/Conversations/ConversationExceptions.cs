using Convor.Domain.Common;

namespace Convor.Domain.Conversations;

public sealed class ConversationClosedException()
    : DomainStateException(ErrorCodes.ConversationClosed, "Conversation is closed.");

public sealed class OperatorInactiveException()
    : DomainReferenceException(ErrorCodes.OperatorInactive, "Operator is not active and cannot be assigned.");

/// <summary>
/// The operator is not of the conversation's organization. It answers exactly like an
/// operator id that does not exist, so nothing about other organizations leaks.
/// </summary>
public sealed class InvalidOperatorException()
    : DomainReferenceException(ErrorCodes.InvalidOperator, "Operator was not found in this organization.");

/// <summary>The visitor is not of the conversation's organization (or does not exist).</summary>
public sealed class InvalidVisitorException()
    : DomainReferenceException(ErrorCodes.InvalidVisitor, "Visitor was not found in this organization.");

/// <summary>A snooze must end in the future.</summary>
public sealed class SnoozeInPastException()
    : DomainException(ErrorCodes.ValidationError, "Snooze end must be in the future.");
