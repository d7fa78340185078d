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

/// <summary>The AI wrote after a human took the conversation over (<c>aiActive</c> is false).</summary>
public sealed class AiNotActiveException()
    : DomainStateException(ErrorCodes.AiNotActive, "The AI agent is not active in this conversation; a human has taken over.");

/// <summary>An operator wrote in a conversation that another operator holds.</summary>
public sealed class OperatorNotAssignedException()
    : DomainStateException(ErrorCodes.OperatorNotAssigned, "Conversation is assigned to another operator.");
