using Convor.Application.Common.Serialization;
using Convor.Domain.Common;
using System.Text.Json;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Application.Common.Paging;
using Convor.Application.Conversations.AddMessage;
using Convor.Application.Conversations.AssignOperator;
using Convor.Application.Conversations.CloseConversation;
using Convor.Application.Conversations.CreateConversation;
using Convor.Application.Conversations.SnoozeConversation;
using Convor.Application.Conversations.UpdateConversation;
using Convor.Application.Operators.CreateOperator;
using Convor.Application.Operators.UpdateOperator;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;

namespace Convor.Api.OpenApi;

/// <summary>
/// What the document shows for one operation: a request body (when it takes one), the
/// success body, and the failures that explain its 404/409/422 (other error statuses have
/// one meaning, see <see cref="OperationDocumentation"/>). Errors are given as the real
/// exceptions, so their code and message are the ones the API sends.
/// </summary>
internal sealed record OperationExample(object? Request, object Response, params Exception[] Errors);

/// <summary>The examples of every operation, keyed by operation id (one table, so none is forgotten).</summary>
internal static class OperationExamples
{
    private static readonly Guid OrgId = Guid.Parse("0193a5b2-7c1e-7d4f-8a10-2b3c4d5e6f70");
    private static readonly Guid ConversationId = Guid.Parse("0193a5b2-9d40-7a21-b3c4-5d6e7f809112");
    private static readonly Guid VisitorId = Guid.Parse("0193a5b2-8e30-7b12-a4b5-c6d7e8f90a1b");
    private static readonly Guid OperatorId = Guid.Parse("0193a5b2-7f20-7c03-95a6-b7c8d9e0f1a2");
    private static readonly DateTimeOffset CreatedAt = new(2026, 6, 23, 8, 58, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ChangedAt = CreatedAt.AddMinutes(3);
    private static readonly JsonElement Metadata = JsonSerializer.SerializeToElement(new { subject = "Where is my order?", orderId = "A-1042" });

    private static ConversationResponse Conversation => new()
    {
        Id = ConversationId,
        OrgId = OrgId,
        VisitorId = VisitorId,
        AssignedOperatorId = null,
        Status = ConversationStatus.Open,
        Priority = ConversationPriority.High,
        ResolvedBy = null,
        Channel = ConversationChannel.Widget,
        AiActive = true,
        SnoozedUntil = null,
        LastMessageAt = null,
        Metadata = Metadata,
        CreatedAt = CreatedAt,
        UpdatedAt = CreatedAt,
        SearchVector = "where is my order a-1042",
    };

    private static readonly OperatorResponse Operator = new()
    {
        Id = OperatorId,
        OrgId = OrgId,
        Name = "Dana Reyes",
        Email = "dana@example.com",
        Role = OperatorRole.Agent,
        Active = true,
        Availability = OperatorAvailability.Offline,
        MaxConversations = Domain.Operators.Operator.DefaultMaxConversations,
        OpenConversations = 0,
        CreatedAt = CreatedAt,
        UpdatedAt = CreatedAt,
    };

    private static readonly DateTimeOffset SnoozeUntil = CreatedAt.AddHours(2);
    private const string NextCursor = "eyJ2IjoxLCJsIjoiY29udmVyc2F0aW9ucyJ9";

    private static ConversationEventResponse AssignedEvent => new()
    {
        Id = Guid.Parse("0193a5b2-a150-7e32-8c4d-5e6f708192a3"),
        ConversationId = ConversationId,
        Type = "assigned",
        Actor = "apiKey:0193a5b2-7c1e-7d4f-8a10-2b3c4d5e6f71",
        Data = JsonSerializer.SerializeToElement(new
        {
            before = new { assignedOperatorId = (Guid?)null, aiActive = true },
            after = new { assignedOperatorId = OperatorId, aiActive = false },
        }),
        OccurredAt = ChangedAt,
    };

    private static readonly DateTimeOffset MessageAt = ChangedAt.AddMinutes(1);

    private static MessageResponse VisitorMessage => new()
    {
        Id = Guid.Parse("0193a5b2-b260-7f43-9d5e-6f708192a3b4"),
        ConversationId = ConversationId,
        Author = MessageAuthor.Visitor,
        OperatorId = null,
        Body = "Hi, my order A-1042 has not arrived yet.",
        CreatedAt = MessageAt,
    };

    private static MessageResponse OperatorMessage => new()
    {
        Id = Guid.Parse("0193a5b2-b270-7a54-8e6f-708192a3b4c5"),
        ConversationId = ConversationId,
        Author = MessageAuthor.Operator,
        OperatorId = OperatorId,
        Body = "Dana here: it ships today.",
        CreatedAt = MessageAt.AddMinutes(2),
    };

    private static RequestValidationException CursorMalformed => RequestValidationException.For(PageCursor.Field, PageCursor.MalformedMessage);

    private static RequestValidationException PathIdNotUuid => RequestValidationException.For("id", "must be a UUID");

    public static readonly IReadOnlyDictionary<string, OperationExample> ByOperationId = new Dictionary<string, OperationExample>(StringComparer.Ordinal)
    {
        ["createConversation"] = new(
            new CreateConversationRequest { Channel = ConversationChannel.Widget, Priority = ConversationPriority.High, Metadata = Metadata },
            Conversation,
            RequestValidationException.For("channel", "is required"), new InvalidVisitorException()),
        ["getConversation"] = new(
            null,
            Conversation,
            PathIdNotUuid, new ConversationNotFoundException()),
        ["assignOperator"] = new(
            new AssignOperatorRequest { OperatorId = OperatorId },
            Conversation with { AssignedOperatorId = OperatorId, AiActive = false, UpdatedAt = ChangedAt },
            RequestValidationException.For("operatorId", "is required"), new ConversationNotFoundException(),
            new ConversationClosedException(), new ConcurrencyConflictException(), new InvalidOperatorException(), new OperatorInactiveException()),
        ["handoffConversation"] = new(
            null,
            Conversation with { AssignedOperatorId = OperatorId, AiActive = false, UpdatedAt = ChangedAt },
            PathIdNotUuid, new ConversationNotFoundException(), new ConversationClosedException(), new ConcurrencyConflictException()),
        ["unassignConversation"] = new(
            null,
            Conversation with { UpdatedAt = ChangedAt },
            PathIdNotUuid, new ConversationNotFoundException(), new ConversationClosedException(), new ConcurrencyConflictException()),
        ["closeConversation"] = new(
            new CloseConversationRequest { ResolvedBy = ResolvedBy.Visitor },
            Conversation with { Status = ConversationStatus.Closed, ResolvedBy = ResolvedBy.Visitor, AiActive = false, UpdatedAt = ChangedAt },
            RequestValidationException.For("resolvedBy", WireEnums.MustBeOneOf<ResolvedBy>()), new ConversationNotFoundException(),
            new ConcurrencyConflictException()),
        ["createOperator"] = new(
            new CreateOperatorRequest { Name = "Dana Reyes", Email = "dana@example.com", Role = OperatorRole.Agent },
            Operator,
            RequestValidationException.For("email", "must be an email address"), new ConflictException(ErrorCodes.OperatorEmailTaken, "An operator with this email already exists in the organization.")),
        ["getOperator"] = new(
            null,
            Operator,
            PathIdNotUuid, new OperatorNotFoundException()),
        ["reopenConversation"] = new(
            null,
            Conversation with { UpdatedAt = ChangedAt },
            PathIdNotUuid, new ConversationNotFoundException(), new ConcurrencyConflictException()),
        ["snoozeConversation"] = new(
            new SnoozeConversationRequest { Until = SnoozeUntil },
            Conversation with { Status = ConversationStatus.Snoozed, SnoozedUntil = SnoozeUntil, UpdatedAt = ChangedAt },
            RequestValidationException.For("until", "must be in the future"), new ConversationNotFoundException(),
            new ConversationClosedException(), new ConcurrencyConflictException()),
        ["updateConversation"] = new(
            new UpdateConversationRequest { Priority = ConversationPriority.Urgent },
            Conversation with { Priority = ConversationPriority.Urgent, UpdatedAt = ChangedAt },
            RequestValidationException.For("priority", WireEnums.MustBeOneOf<ConversationPriority>()), new ConversationNotFoundException(),
            new ConcurrencyConflictException()),
        ["listConversations"] = new(
            null,
            new ConversationPage { Data = [Conversation], NextCursor = NextCursor },
            CursorMalformed),
        ["listConversationEvents"] = new(
            null,
            new ConversationEventPage { Data = [AssignedEvent], NextCursor = null },
            CursorMalformed, new ConversationNotFoundException()),
        ["addMessage"] = new(
            new AddMessageRequest { Author = MessageAuthor.Operator, OperatorId = OperatorId, Body = OperatorMessage.Body },
            OperatorMessage,
            RequestValidationException.For("body", AddMessageCommandValidator.BodyLengthMessage), new ConversationNotFoundException(),
            new AiNotActiveException(), new OperatorNotAssignedException(), new ConversationClosedException(), new ConcurrencyConflictException(),
            new InvalidOperatorException(), new OperatorInactiveException()),
        ["listMessages"] = new(
            null,
            new MessagePage { Data = [VisitorMessage, OperatorMessage], NextCursor = NextCursor },
            CursorMalformed, new ConversationNotFoundException()),
        ["getMessage"] = new(
            null,
            VisitorMessage,
            PathIdNotUuid, new ConversationNotFoundException(), new MessageNotFoundException()),
        ["listOperators"] = new(
            null,
            new OperatorPage { Data = [Operator], NextCursor = null },
            CursorMalformed),
        ["updateOperator"] = new(
            new UpdateOperatorRequest { Availability = OperatorAvailability.Online, MaxConversations = 8 },
            Operator with { Availability = OperatorAvailability.Online, MaxConversations = 8, UpdatedAt = ChangedAt },
            RequestValidationException.For("maxConversations", $"must be between {Domain.Operators.Operator.MinMaxConversations} and {Domain.Operators.Operator.MaxMaxConversations}"),
            new OperatorNotFoundException()),
    };

    /// <summary>
    /// Request fields the validators demand. The request types keep them nullable so that a
    /// missing one is answered by the validator (400 <c>validation_error</c>, "is required"),
    /// but the document must tell clients to send them.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string[]> RequiredRequestFields = new Dictionary<Type, string[]>
    {
        [typeof(CreateConversationRequest)] = ["channel"],
        [typeof(AssignOperatorRequest)] = ["operatorId"],
        [typeof(CreateOperatorRequest)] = ["name", "email"],
        [typeof(SnoozeConversationRequest)] = ["until"],
        [typeof(AddMessageRequest)] = ["author", "body"],
    };
}
