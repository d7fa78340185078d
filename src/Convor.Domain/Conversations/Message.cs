using Convor.Domain.Common;

namespace Convor.Domain.Conversations;

/// <summary>
/// One message of a conversation. Part of the conversation aggregate, but stored in its own
/// table and never loaded with it: a conversation can hold thousands, and adding one needs
/// none of them. Only <see cref="Conversation.AddMessage"/> makes one, so every rule of who
/// may write holds for each.
/// </summary>
public sealed class Message
{
    public const int BodyMaxLength = 10_000;

    private Message() { Body = string.Empty; }

    public MessageId Id { get; private set; }
    public OrganizationId OrganizationId { get; private set; }
    public ConversationId ConversationId { get; private set; }
    public MessageAuthor Author { get; private set; }

    /// <summary>Set exactly when <see cref="Author"/> is <see cref="MessageAuthor.Operator"/>.</summary>
    public OperatorId? OperatorId { get; private set; }

    public string Body { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The conversation version this message produced: unique per conversation and growing in
    /// commit order, so it orders the messages and is the list's cursor.
    /// </summary>
    public long ConversationVersion { get; private set; }

    internal static Message Write(Conversation conversation, MessageAuthor author, OperatorId? operatorId, string body, DateTimeOffset createdAt, long conversationVersion) => new()
    {
        Id = MessageId.New(),
        OrganizationId = conversation.OrganizationId,
        ConversationId = conversation.Id,
        Author = author,
        OperatorId = operatorId,
        Body = body,
        CreatedAt = createdAt,
        ConversationVersion = conversationVersion,
    };
}
