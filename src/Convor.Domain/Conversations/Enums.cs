namespace Convor.Domain.Conversations;

public enum ConversationStatus
{
    Open,
    Snoozed,
    Closed,
}

public enum ConversationPriority
{
    Low,
    Normal,
    High,
    Urgent,
}

public enum ResolvedBy
{
    Operator,
    Ai,
    Visitor,
    System,
}

public enum ConversationChannel
{
    Widget,
    Email,
    Api,
}

/// <summary>Who wrote a message.</summary>
public enum MessageAuthor
{
    Visitor,
    Ai,
    Operator,
    System,
}
