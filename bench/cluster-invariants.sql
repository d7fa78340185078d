-- Invariants of a Convor database after bench/cluster.sh (failover and soak included): one line
-- "name=count" each; every violation count must be 0. Run by bench/cluster.sh through psql with
--   -v org=<organization whose endpoint is subscribed to every event>
-- after it has loaded the table "answers" (conversation uuid, version bigint): the ETag of every
-- 2xx command answer bench/cluster_load.py received.

SELECT 'conversations=' || count(*) FROM conversations;
SELECT 'entries=' || count(*) FROM conversation_events;

-- 1. Every conversation's version is the number of its activity entries, numbered 1..n (the
--    unique index on (conversation, version) rules out two entries for one version).
SELECT 'version_mismatches=' || count(*)
FROM conversations c
LEFT JOIN (SELECT "ConversationId" AS id, count(*) AS n, min("Version") AS lo, max("Version") AS hi
           FROM conversation_events GROUP BY 1) e ON e.id = c."Id"
WHERE e.n IS NULL OR c."Version" <> e.n OR e.lo <> 1 OR e.hi <> e.n;

-- 2. For the fields the mix changes, the log is a chain (each entry's "before" is the value the
--    entries before it left: no change was made on stale state) and the conversation holds the
--    value its last entry set.
CREATE TEMP TABLE setting AS
SELECT e."ConversationId" AS id, e."Version" AS v, f.name,
       e."Data"::jsonb -> 'after' -> f.name AS val,
       e."Data"::jsonb -> 'before' -> f.name AS was,
       e."Data"::jsonb -> 'before' ? f.name AS has_before
FROM conversation_events e
CROSS JOIN (VALUES ('assignedOperatorId'), ('priority'), ('status')) AS f(name)
WHERE e."Data"::jsonb -> 'after' ? f.name;
SELECT 'field_changes=' || count(*) FROM setting;
SELECT 'chain_breaks=' || count(*)
FROM (SELECT has_before, was, lag(val) OVER (PARTITION BY id, name ORDER BY v) AS previous FROM setting) s
WHERE has_before AND coalesce(previous, 'null'::jsonb) IS DISTINCT FROM coalesce(was, 'null'::jsonb);
-- Column values are compared without case and underscores ("in_progress" and "InProgress").
SELECT 'state_mismatches=' || count(*)
FROM (SELECT DISTINCT ON (id, name) id, name, val FROM setting ORDER BY id, name, v DESC) last
JOIN conversations c ON c."Id" = last.id
WHERE lower(replace(coalesce(last.val #>> '{}', ''), '_', ''))
      IS DISTINCT FROM lower(replace(coalesce(CASE last.name
        WHEN 'assignedOperatorId' THEN c."AssignedOperatorId"::text
        WHEN 'priority' THEN c."Priority"
        WHEN 'status' THEN c."Status" END, ''), '_', ''));

-- 3. The organization :org has one endpoint subscribed to every event since before its first
--    conversation: exactly one outbox row per activity entry, and no row without an entry.
SELECT 'outbox_entries=' || count(*) FROM conversation_events WHERE "OrganizationId" = :'org';
SELECT 'outbox_missing=' || count(*) FROM conversation_events e
WHERE e."OrganizationId" = :'org' AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d."EventId" = e."Id");
SELECT 'outbox_duplicates=' || count(*) FROM (SELECT "EventId" FROM webhook_deliveries GROUP BY 1 HAVING count(*) > 1) d;
SELECT 'outbox_strays=' || count(*) FROM webhook_deliveries d
WHERE NOT EXISTS (SELECT 1 FROM conversation_events e WHERE e."Id" = d."EventId");

-- 4. Every version after the creation was the answer to some command: a command applied twice
--    leaves a version no answer names. Known gap (docs/adr/0300-idempotency-keys.md): a command
--    whose instance died between its commit and its recorded answer is run again by the
--    take-over, so this may count up to the requests that had a failed attempt.
SELECT 'unanswered_versions=' || count(*) FROM conversation_events e
WHERE e."Version" > 1
  AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.conversation = e."ConversationId" AND a.version = e."Version");
