using Npgsql;
using NpgsqlTypes;

namespace Convor.Bench.Reference;

/// <summary>A conversation row as the statements return it: the 15 wire fields, the version and the outcome.</summary>
internal sealed record ConversationRow(
    Guid Id,
    Guid OrganizationId,
    Guid VisitorId,
    Guid? AssignedOperatorId,
    string Status,
    string Priority,
    string? ResolvedBy,
    string Channel,
    bool AiActive,
    DateTime? SnoozedUntil,
    DateTime? LastMessageAt,
    string Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string SearchVector,
    long Version,
    Outcome Outcome);

/// <summary>One command = one pooled connection, one statement, one round trip.</summary>
internal sealed class ConversationStore(NpgsqlDataSource dataSource)
{
    public Task<ConversationRow?> AssignAsync(CallerKey caller, Guid conversationId, Guid operatorId, DateTime now, CancellationToken cancellationToken)
    {
        var command = Command(ConversationSql.Assign, caller, conversationId, now);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = operatorId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return ExecuteAsync(command, cancellationToken);
    }

    public Task<ConversationRow?> UnassignAsync(CallerKey caller, Guid conversationId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync(Command(ConversationSql.Unassign, caller, conversationId, now), cancellationToken);

    /// <param name="resolvedBy">Stored enum name (<c>Operator</c>, <c>Ai</c>, …) or null for the default rule.</param>
    public Task<ConversationRow?> CloseAsync(CallerKey caller, Guid conversationId, string? resolvedBy, DateTime now, CancellationToken cancellationToken)
    {
        var command = Command(ConversationSql.Close, caller, conversationId, now);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)resolvedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        return ExecuteAsync(command, cancellationToken);
    }

    public Task<ConversationRow?> ReopenAsync(CallerKey caller, Guid conversationId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync(Command(ConversationSql.Reopen, caller, conversationId, now), cancellationToken);

    public Task<ConversationRow?> GetAsync(CallerKey caller, Guid conversationId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand(ConversationSql.Get);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caller.OrganizationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return ExecuteAsync(command, cancellationToken);
    }

    private NpgsqlCommand Command(string sql, CallerKey caller, Guid conversationId, DateTime now)
    {
        var command = dataSource.CreateCommand(sql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caller.OrganizationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(), NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = caller.Actor, NpgsqlDbType = NpgsqlDbType.Varchar });
        return command;
    }

    private static async Task<ConversationRow?> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            return new ConversationRow(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetDateTime(9),
                reader.IsDBNull(10) ? null : reader.GetDateTime(10),
                reader.GetString(11),
                reader.GetDateTime(12),
                reader.GetDateTime(13),
                reader.GetString(14),
                reader.GetInt64(15),
                (Outcome)reader.GetInt32(16));
        }
    }
}
