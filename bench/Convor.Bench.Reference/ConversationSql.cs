namespace Convor.Bench.Reference;

/// <summary>
/// Each command of the contract as ONE SQL statement over the API's own schema (tables and
/// columns of the EF Core PostgreSQL migrations). One statement locks the row, checks the
/// rules, writes the change, its activity-log row and its webhook outbox rows, and returns
/// the conversation:
/// <code>
/// WITH cur AS (SELECT … FOR UPDATE),        -- the row as it is now, locked
///      upd AS (UPDATE … FROM cur WHERE &lt;rule holds and something changes&gt; RETURNING …),
///      ev  AS (INSERT INTO conversation_events … SELECT … FROM upd JOIN cur … RETURNING "Data"),
///      ob  AS (INSERT INTO webhook_deliveries … SELECT … FROM upd, ev, unnest($6, $7))  -- one row per subscribed endpoint
/// SELECT … FROM upd                          -- changed: the new row
/// UNION ALL SELECT … FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)  -- no-op or refused
/// </code>
/// No row back means the conversation is not in the organization. The last column is the
/// outcome: <see cref="Outcome"/>.
/// Parameters: $1 organization, $2 conversation, $3 now, $4 activity id (also the event id,
/// as in the API), $5 actor, $6 the ids of the endpoints subscribed to the event (uuid[],
/// empty when none: then <c>ob</c> inserts nothing), $7 one new delivery id per endpoint
/// (uuid[], same length), $8 the command's own argument (operator id for assign, resolvedBy
/// for close).
/// </summary>
internal static class ConversationSql
{
    /// <summary>The 15 wire fields in wire order, then the version (the ETag).</summary>
    private const string Columns =
        "\"Id\", \"OrganizationId\", \"VisitorId\", \"AssignedOperatorId\", \"Status\", \"Priority\", \"ResolvedBy\", " +
        "\"Channel\", \"AiActive\", \"SnoozedUntil\", \"LastMessageAt\", \"Metadata\", \"CreatedAt\", \"UpdatedAt\", " +
        "\"SearchVector\", \"Version\"";

    private static string Prefixed(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(column => alias + "." + column));

    /// <summary>The wire's timestamp text (UTC, milliseconds, Z) of a timestamptz expression; NULL stays NULL.</summary>
    private static string Timestamp(string value) => $"to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

    /// <summary>
    /// <c>NextAttemptAt</c> of the reference's outbox rows. The API queues a delivery due now;
    /// the reference writes the same row but never delivers, and the API's dispatcher (running
    /// on the same database) must not deliver the reference's rows for it, so they are due at
    /// the end of time. Same columns, same sizes; only this value differs.
    /// </summary>
    public const string NeverDue = "'9999-12-31T00:00:00Z'::timestamptz";

    /// <summary>A snooze whose end has passed counts as open (the API wakes it before any command).</summary>
    private const string SnoozeExpired = "(cur.\"Status\" = 'Snoozed' AND cur.\"SnoozedUntil\" <= $3)";

    private const string Wake =
        "\"Status\" = CASE WHEN " + SnoozeExpired + " THEN 'Open' ELSE cur.\"Status\" END, " +
        "\"SnoozedUntil\" = CASE WHEN " + SnoozeExpired + " THEN NULL ELSE cur.\"SnoozedUntil\" END";

    /// <summary>
    /// The activity log's <c>{"before":{…},"after":{…}}</c> with only the fields that moved, as
    /// the API's domain writes it (enum values in camelCase, timestamps with milliseconds and Z).
    /// </summary>
    private static readonly string ChangeData = BuildChangeData();

    public static readonly string Assign = Command(
        // FOR SHARE: the operator cannot be deactivated (or changed) until this commits. The
        // API gets the same guarantee from its version check on the operator row (ADR 0800:
        // `UPDATE operators SET version = version WHERE … AND version = <read>`).
        extraCte: "op AS (SELECT o.\"Active\" FROM operators o WHERE o.\"OrganizationId\" = $1 AND o.\"Id\" = $8 FOR SHARE), ",
        set: "\"AssignedOperatorId\" = $8, \"AiActive\" = false, " + Wake,
        from: "cur, op",
        changes: "op.\"Active\" AND cur.\"Status\" <> 'Closed' AND (cur.\"AssignedOperatorId\" IS DISTINCT FROM $8 OR cur.\"AiActive\")",
        activityType: "assigned",
        eventType: "conversation.assigned",
        refusal:
            $"CASE WHEN NOT EXISTS (SELECT 1 FROM op) THEN {(int)Outcome.InvalidOperator} " +
            $"WHEN cur.\"Status\" = 'Closed' THEN {(int)Outcome.Closed} " +
            $"WHEN NOT (SELECT \"Active\" FROM op) THEN {(int)Outcome.OperatorInactive} ELSE {(int)Outcome.Ok} END");

    public static readonly string Unassign = Command(
        extraCte: "",
        set: "\"AssignedOperatorId\" = NULL, \"AiActive\" = true, " + Wake,
        from: "cur",
        changes: "cur.\"Status\" <> 'Closed' AND cur.\"AssignedOperatorId\" IS NOT NULL",
        activityType: "unassigned",
        eventType: "conversation.unassigned",
        refusal: $"CASE WHEN cur.\"Status\" = 'Closed' THEN {(int)Outcome.Closed} ELSE {(int)Outcome.Ok} END");

    public static readonly string Close = Command(
        extraCte: "",
        set: "\"Status\" = 'Closed', \"AiActive\" = false, \"SnoozedUntil\" = NULL, " +
             "\"ResolvedBy\" = COALESCE($8, CASE WHEN cur.\"AssignedOperatorId\" IS NOT NULL THEN 'Operator' " +
             "WHEN cur.\"AiActive\" THEN 'Ai' ELSE 'System' END)",
        from: "cur",
        changes: "cur.\"Status\" <> 'Closed'",
        activityType: "closed",
        eventType: "conversation.closed",
        refusal: ((int)Outcome.Ok).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static readonly string Reopen = Command(
        extraCte: "",
        set: "\"Status\" = 'Open', \"ResolvedBy\" = NULL, \"SnoozedUntil\" = NULL, " +
             "\"AiActive\" = CASE WHEN cur.\"Status\" = 'Closed' THEN cur.\"AssignedOperatorId\" IS NULL ELSE cur.\"AiActive\" END",
        from: "cur",
        changes: "cur.\"Status\" <> 'Open'",
        activityType: "reopened",
        eventType: "conversation.reopened",
        refusal: ((int)Outcome.Ok).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>$1 organization, $2 conversation, $3 now. The row as readers see it (an ended snooze is open).</summary>
    public static readonly string Get =
        $"SELECT {SeenAt("c")}, {(int)Outcome.Ok} FROM conversations c WHERE c.\"OrganizationId\" = $1 AND c.\"Id\" = $2";

    public const string KeyByHash =
        "SELECT \"Id\", \"OrganizationId\", \"Scopes\", \"RevokedAt\" FROM api_keys WHERE \"Hash\" = $1";

    /// <summary>
    /// The first page of <c>GET /api/conversations</c>, as ONE statement: the API's two list
    /// segments (rows with a last message, newest first; then, while the page is not full, rows
    /// without one, newest <c>createdAt</c> first; both then by id, descending) as a UNION ALL
    /// of two index ranges, each stopped at the page size, in that order. $1 organization,
    /// $2 now, $3 rows to read (limit + 1: the extra row says whether there is a next page),
    /// $4 priority (stored name) when filtered by priority. <paramref name="status"/> is the
    /// stored status name or null: "Open" is open as readers see it (an ended snooze counts).
    /// </summary>
    public static string List(string? status, bool byPriority)
    {
        var filter = status switch
        {
            null => "",
            "Open" => " AND (c.\"Status\" = 'Open' OR (c.\"Status\" = 'Snoozed' AND c.\"SnoozedUntil\" <= $2))",
            "Snoozed" => " AND c.\"Status\" = 'Snoozed' AND (c.\"SnoozedUntil\" IS NULL OR c.\"SnoozedUntil\" > $2)",
            _ => $" AND c.\"Status\" = '{status}'",
        };
        if (byPriority) filter += " AND c.\"Priority\" = $4";
        var select = $"SELECT {SeenAt("c", now: "$2")}, {(int)Outcome.Ok} FROM conversations c WHERE c.\"OrganizationId\" = $1{filter}";
        return $"({select} AND c.\"LastMessageAt\" IS NOT NULL ORDER BY c.\"LastMessageAt\" DESC, c.\"CreatedAt\" DESC, c.\"Id\" DESC LIMIT $3) " +
               $"UNION ALL ({select} AND c.\"LastMessageAt\" IS NULL ORDER BY c.\"CreatedAt\" DESC, c.\"Id\" DESC LIMIT $3) LIMIT $3";
    }

    /// <summary>The columns with status and snooze end as a reader sees them at <paramref name="now"/> (an ended snooze is open).</summary>
    private static string SeenAt(string alias, string now = "$3")
    {
        var ended = $"{alias}.\"Status\" = 'Snoozed' AND {alias}.\"SnoozedUntil\" <= {now}";
        return string.Join(", ", Columns.Split(", ").Select(column => column switch
        {
            "\"Status\"" => $"CASE WHEN {ended} THEN 'Open' ELSE {alias}.\"Status\" END",
            "\"SnoozedUntil\"" => $"CASE WHEN {ended} THEN NULL ELSE {alias}.\"SnoozedUntil\" END",
            _ => alias + "." + column,
        }));
    }

    private static string Command(string extraCte, string set, string from, string changes, string activityType, string eventType, string refusal) =>
        $"WITH cur AS (SELECT {Prefixed("c")} FROM conversations c WHERE c.\"OrganizationId\" = $1 AND c.\"Id\" = $2 FOR UPDATE), " +
        extraCte +
        $"upd AS (UPDATE conversations c SET {set}, \"UpdatedAt\" = $3, \"Version\" = cur.\"Version\" + 1 " +
        $"FROM {from} WHERE c.\"Id\" = cur.\"Id\" AND {changes} RETURNING {Prefixed("c")}), " +
        "ev AS (INSERT INTO conversation_events (\"Id\", \"OrganizationId\", \"ConversationId\", \"Version\", \"Type\", \"Actor\", \"Data\", \"OccurredAt\") " +
        $"SELECT $4, $1, upd.\"Id\", upd.\"Version\", '{activityType}', $5, {ChangeData}, $3 FROM upd JOIN cur ON cur.\"Id\" = upd.\"Id\" RETURNING \"Data\"), " +
        // The outbox, as WebhookOutbox queues it in the API's save: one row per subscribed
        // endpoint, the event id being the activity entry's id, the payload built once per row
        // (so only when some endpoint is subscribed: unnest of empty arrays yields no row).
        "ob AS (INSERT INTO webhook_deliveries (\"Id\", \"OrganizationId\", \"EndpointId\", \"EventId\", \"EventType\", \"Payload\", " +
        "\"Status\", \"Attempts\", \"AttemptsSinceQueued\", \"NextAttemptAt\", \"CreatedAt\") " +
        $"SELECT d.delivery, $1, d.endpoint, $4, '{eventType}', {Payload(activityType, eventType)}, 'Pending', 0, 0, {NeverDue}, $3 " +
        "FROM upd, ev, unnest($6::uuid[], $7::uuid[]) AS d(endpoint, delivery)) " +
        $"SELECT {Prefixed("upd")}, {(int)Outcome.Ok} FROM upd " +
        $"UNION ALL SELECT {Prefixed("cur")}, {refusal} FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)";

    /// <summary>
    /// The event body the API writes (<c>WebhookPayload</c>): <c>{ id, type, timestamp, data: {
    /// version, conversation: &lt;15 fields after the change&gt;, entry: { id, conversationId,
    /// type, actor, data, occurredAt } } }</c>, keys in the same order (json_build_object keeps
    /// it). The text differs only in spacing (<c>"id" : …</c>) and in the entry's data, which is
    /// the activity row's jsonb text (other key order).
    /// </summary>
    private static string Payload(string activityType, string eventType) =>
        $"json_build_object('id', $4, 'type', '{eventType}', 'timestamp', {Timestamp("$3")}, 'data', json_build_object(" +
        $"'version', upd.\"Version\", 'conversation', {ConversationJson("upd")}, " +
        $"'entry', json_build_object('id', $4, 'conversationId', upd.\"Id\", 'type', '{activityType}', 'actor', $5, " +
        $"'data', ev.\"Data\"::json, 'occurredAt', {Timestamp("$3")})))::text";

    /// <summary>The 15 wire fields of a conversation row as JSON, in wire order (as the API's ConversationResponse).</summary>
    private static string ConversationJson(string alias) =>
        "json_build_object(" +
        $"'id', {alias}.\"Id\", 'orgId', {alias}.\"OrganizationId\", 'visitorId', {alias}.\"VisitorId\", " +
        $"'assignedOperatorId', {alias}.\"AssignedOperatorId\", 'status', lower({alias}.\"Status\"), " +
        $"'priority', lower({alias}.\"Priority\"), 'resolvedBy', lower({alias}.\"ResolvedBy\"), 'channel', lower({alias}.\"Channel\"), " +
        $"'aiActive', {alias}.\"AiActive\", 'snoozedUntil', {Timestamp(alias + ".\"SnoozedUntil\"")}, " +
        $"'lastMessageAt', {Timestamp(alias + ".\"LastMessageAt\"")}, 'metadata', {alias}.\"Metadata\"::json, " +
        $"'createdAt', {Timestamp(alias + ".\"CreatedAt\"")}, 'updatedAt', {Timestamp(alias + ".\"UpdatedAt\"")}, " +
        $"'searchVector', {alias}.\"SearchVector\")";

    private static string BuildChangeData()
    {
        // (wire name, column, JSON of a value of that column)
        (string Field, string Column, Func<string, string> Json)[] movable =
        [
            ("assignedOperatorId", "\"AssignedOperatorId\"", v => $"to_jsonb({v})"),
            ("status", "\"Status\"", v => $"to_jsonb(lower({v}))"),
            ("resolvedBy", "\"ResolvedBy\"", v => $"to_jsonb(lower({v}))"),
            ("aiActive", "\"AiActive\"", v => $"to_jsonb({v})"),
            ("snoozedUntil", "\"SnoozedUntil\"", v => $"to_jsonb(to_char({v} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"),
        ];
        string Side(string alias) => string.Join(" || ", movable.Select(f =>
            $"CASE WHEN upd.{f.Column} IS DISTINCT FROM cur.{f.Column} THEN jsonb_build_object('{f.Field}', {f.Json(alias + "." + f.Column)}) ELSE '{{}}'::jsonb END"));
        return $"jsonb_build_object('before', {Side("cur")}, 'after', {Side("upd")})::text";
    }
}

/// <summary>The last column of every command statement.</summary>
internal enum Outcome
{
    Ok = 0,
    Closed = 409,
    InvalidOperator = 4221,
    OperatorInactive = 4222,
}
