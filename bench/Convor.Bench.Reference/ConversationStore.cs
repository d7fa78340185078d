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

/// <summary>One command or read = one pooled connection, one statement, one round trip.</summary>
internal sealed class ConversationStore(NpgsqlDataSource dataSource, WebhookSubscriptions subscriptions)
{
    public async Task<ConversationRow?> AssignAsync(CallerKey caller, Guid conversationId, Guid operatorId, DateTime now, CancellationToken cancellationToken)
    {
        var command = await CommandAsync(ConversationSql.Assign, "conversation.assigned", caller, conversationId, now, cancellationToken);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = operatorId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await ExecuteAsync(command, cancellationToken);
    }

    public async Task<ConversationRow?> UnassignAsync(CallerKey caller, Guid conversationId, DateTime now, CancellationToken cancellationToken) =>
        await ExecuteAsync(await CommandAsync(ConversationSql.Unassign, "conversation.unassigned", caller, conversationId, now, cancellationToken), cancellationToken);

    /// <param name="resolvedBy">Stored enum name (<c>Operator</c>, <c>Ai</c>, …) or null for the default rule.</param>
    public async Task<ConversationRow?> CloseAsync(CallerKey caller, Guid conversationId, string? resolvedBy, DateTime now, CancellationToken cancellationToken)
    {
        var command = await CommandAsync(ConversationSql.Close, "conversation.closed", caller, conversationId, now, cancellationToken);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)resolvedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        return await ExecuteAsync(command, cancellationToken);
    }

    public async Task<ConversationRow?> ReopenAsync(CallerKey caller, Guid conversationId, DateTime now, CancellationToken cancellationToken) =>
        await ExecuteAsync(await CommandAsync(ConversationSql.Reopen, "conversation.reopened", caller, conversationId, now, cancellationToken), cancellationToken);

    public async Task<ConversationRow?> GetAsync(CallerKey caller, Guid conversationId, DateTime now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ConversationSql.Get);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caller.OrganizationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Up to <paramref name="take"/> rows of the list's first page (see <see cref="ConversationSql.List"/>).</summary>
    public async Task<List<ConversationRow>> ListAsync(CallerKey caller, string sql, string? priority, int take, DateTime now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caller.OrganizationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = take, NpgsqlDbType = NpgsqlDbType.Integer });
        if (priority is not null) parameters.Add(new NpgsqlParameter<string> { TypedValue = priority, NpgsqlDbType = NpgsqlDbType.Varchar });
        var rows = new List<ConversationRow>(take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(Read(reader));
        return rows;
    }

    private async ValueTask<NpgsqlCommand> CommandAsync(string sql, string eventType, CallerKey caller, Guid conversationId, DateTime now, CancellationToken cancellationToken)
    {
        var (endpoints, deliveries) = await subscriptions.ForAsync(caller.OrganizationId, eventType, cancellationToken);
        var command = dataSource.CreateCommand(sql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = caller.OrganizationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(), NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = caller.Actor, NpgsqlDbType = NpgsqlDbType.Varchar });
        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = endpoints, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = deliveries, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return command;
    }

    private static async Task<ConversationRow?> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
    }

    private static ConversationRow Read(NpgsqlDataReader reader) => new(
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
