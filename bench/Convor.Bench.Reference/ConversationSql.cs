namespace Convor.Bench.Reference;

/// <summary>
/// Each command of the contract as ONE SQL statement over the API's own schema (tables and
/// columns of the EF Core PostgreSQL migrations). One statement locks the row, checks the
/// rules, writes the change and its activity-log row, and returns the conversation:
/// <code>
/// WITH cur AS (SELECT … FOR UPDATE),        -- the row as it is now, locked
///      upd AS (UPDATE … FROM cur WHERE &lt;rule holds and something changes&gt; RETURNING …),
///      ev  AS (INSERT INTO conversation_events … SELECT … FROM upd JOIN cur …)
/// SELECT … FROM upd                          -- changed: the new row
/// UNION ALL SELECT … FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)  -- no-op or refused
/// </code>
/// No row back means the conversation is not in the organization. The last column is the
/// outcome: <see cref="Outcome"/>.
/// Parameters: $1 organization, $2 conversation, $3 now, $4 activity id, $5 actor, $6 the
/// command's own argument (operator id for assign, resolvedBy for close).
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
        extraCte: "op AS (SELECT o.\"Active\" FROM operators o WHERE o.\"OrganizationId\" = $1 AND o.\"Id\" = $6), ",
        set: "\"AssignedOperatorId\" = $6, \"AiActive\" = false, " + Wake,
        from: "cur, op",
        changes: "op.\"Active\" AND cur.\"Status\" <> 'Closed' AND (cur.\"AssignedOperatorId\" IS DISTINCT FROM $6 OR cur.\"AiActive\")",
        activityType: "assigned",
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
        refusal: $"CASE WHEN cur.\"Status\" = 'Closed' THEN {(int)Outcome.Closed} ELSE {(int)Outcome.Ok} END");

    public static readonly string Close = Command(
        extraCte: "",
        set: "\"Status\" = 'Closed', \"AiActive\" = false, \"SnoozedUntil\" = NULL, " +
             "\"ResolvedBy\" = COALESCE($6, CASE WHEN cur.\"AssignedOperatorId\" IS NOT NULL THEN 'Operator' " +
             "WHEN cur.\"AiActive\" THEN 'Ai' ELSE 'System' END)",
        from: "cur",
        changes: "cur.\"Status\" <> 'Closed'",
        activityType: "closed",
        refusal: ((int)Outcome.Ok).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static readonly string Reopen = Command(
        extraCte: "",
        set: "\"Status\" = 'Open', \"ResolvedBy\" = NULL, \"SnoozedUntil\" = NULL, " +
             "\"AiActive\" = CASE WHEN cur.\"Status\" = 'Closed' THEN cur.\"AssignedOperatorId\" IS NULL ELSE cur.\"AiActive\" END",
        from: "cur",
        changes: "cur.\"Status\" <> 'Open'",
        activityType: "reopened",
        refusal: ((int)Outcome.Ok).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static readonly string Get =
        $"SELECT {Prefixed("c")}, {(int)Outcome.Ok} FROM conversations c WHERE c.\"OrganizationId\" = $1 AND c.\"Id\" = $2";

    public const string KeyByHash =
        "SELECT \"Id\", \"OrganizationId\", \"Scopes\", \"RevokedAt\" FROM api_keys WHERE \"Hash\" = $1";

    private static string Command(string extraCte, string set, string from, string changes, string activityType, string refusal) =>
        $"WITH cur AS (SELECT {Prefixed("c")} FROM conversations c WHERE c.\"OrganizationId\" = $1 AND c.\"Id\" = $2 FOR UPDATE), " +
        extraCte +
        $"upd AS (UPDATE conversations c SET {set}, \"UpdatedAt\" = $3, \"Version\" = cur.\"Version\" + 1 " +
        $"FROM {from} WHERE c.\"Id\" = cur.\"Id\" AND {changes} RETURNING {Prefixed("c")}), " +
        "ev AS (INSERT INTO conversation_events (\"Id\", \"OrganizationId\", \"ConversationId\", \"Version\", \"Type\", \"Actor\", \"Data\", \"OccurredAt\") " +
        $"SELECT $4, $1, upd.\"Id\", upd.\"Version\", '{activityType}', $5, {ChangeData}, $3 FROM upd JOIN cur ON cur.\"Id\" = upd.\"Id\") " +
        $"SELECT {Prefixed("upd")}, {(int)Outcome.Ok} FROM upd " +
        $"UNION ALL SELECT {Prefixed("cur")}, {refusal} FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)";

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
