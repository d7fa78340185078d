using System.Text.Json;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Riok.Mapperly.Abstractions;

namespace Convor.Application.Common.Mapping;

/// <summary>
/// The one mapper from domain objects to wire models. Mapperly generates it at compile
/// time; an unmapped wire field is a build error, so the contract cannot silently drift.
/// The queryable projections are what reads use: they run in the database, with no
/// aggregate and no change tracking.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class WireMapper
{
    [MapProperty(nameof(Conversation.OrganizationId), nameof(ConversationResponse.OrgId))]
    public static partial ConversationResponse ToResponse(this Conversation conversation);

    [MapPropertyFromSource(nameof(ConversationResult.Conversation))]
    public static partial ConversationResult ToResult(this Conversation conversation);

    public static partial IQueryable<ConversationResult> ProjectToResult(this IQueryable<Conversation> query);

    public static partial IQueryable<ConversationResponse> ProjectToResponse(this IQueryable<Conversation> query);

    [MapNestedProperties(nameof(OperatorWithLoad.Operator))]
    [MapProperty([nameof(OperatorWithLoad.Operator), nameof(Operator.OrganizationId)], nameof(OperatorResponse.OrgId))]
    public static partial OperatorResponse ToResponse(this OperatorWithLoad @operator);

    public static partial IQueryable<OperatorResponse> ProjectToResponse(this IQueryable<OperatorWithLoad> query);

    public static partial ConversationEventResponse ToResponse(this ActivityLogEntry entry);

    public static partial MessageResponse ToResponse(this Message message);

    [MapProperty(nameof(Message.ConversationVersion), nameof(MessageItem.Version))]
    [MapPropertyFromSource(nameof(MessageItem.Message))]
    public static partial MessageItem ToItem(this Message message);

    public static partial IQueryable<MessageResponse> ProjectToResponse(this IQueryable<Message> query);

    public static partial IQueryable<MessageItem> ProjectToItem(this IQueryable<Message> query);

    private static Guid FromId(ConversationId id) => id.Value;
    private static Guid FromId(MessageId id) => id.Value;
    private static Guid FromId(OrganizationId id) => id.Value;
    private static Guid FromId(VisitorId id) => id.Value;
    private static Guid FromId(OperatorId id) => id.Value;

    // Deserializing to JsonElement copies the JSON out of pooled buffers; nothing to dispose.
    private static JsonElement FromMetadata(ConversationMetadata metadata) => JsonSerializer.Deserialize<JsonElement>(metadata.Json, (JsonSerializerOptions?)null);

    // The activity log stores its before/after object as JSON text.
    private static JsonElement FromJsonText(string json) => JsonSerializer.Deserialize<JsonElement>(json, (JsonSerializerOptions?)null);
}
