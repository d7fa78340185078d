using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Convor.Infrastructure.Persistence;

internal static class IdConverters
{
    internal sealed class OrganizationIdConverter() : ValueConverter<OrganizationId, Guid>(id => id.Value, value => new OrganizationId(value));
    internal sealed class OperatorIdConverter() : ValueConverter<OperatorId, Guid>(id => id.Value, value => new OperatorId(value));
    internal sealed class VisitorIdConverter() : ValueConverter<VisitorId, Guid>(id => id.Value, value => new VisitorId(value));
    internal sealed class ConversationIdConverter() : ValueConverter<ConversationId, Guid>(id => id.Value, value => new ConversationId(value));
    internal sealed class MessageIdConverter() : ValueConverter<MessageId, Guid>(id => id.Value, value => new MessageId(value));
    internal sealed class ApiKeyIdConverter() : ValueConverter<ApiKeyId, Guid>(id => id.Value, value => new ApiKeyId(value));
}

/// <summary>Metadata is stored as the compact JSON text it was sent as (not jsonb: that would reorder keys).</summary>
internal sealed class MetadataConverter() : ValueConverter<ConversationMetadata, string>(
    metadata => metadata.Json,
    json => ConversationMetadata.FromJson(json));

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
    value => value.UtcDateTime,
    value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
