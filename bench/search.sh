#!/usr/bin/env bash
# Search at scale on PostgreSQL: 100,000 conversations and 1,000,000 messages in one
# organization (the worst case: `q` runs inside one organization's rows), and the plan and
# time of `GET /api/conversations?q=…` as the API itself sends it. See docs/performance.md
# ("Search") and docs/adr/0700-search-over-message-text.md.
#
# Starts a throwaway PostgreSQL 15 cluster (auto_explain logs the plan of every statement the
# API sends, with EXPLAIN ANALYZE timings), applies the migrations and creates the organization
# with the admin command line, generates the data with SQL (bodies from an 8,000-word
# vocabulary of made-up words, a few words rare on purpose, searchVector built as the domain
# builds it: distinct words of the metadata then of the bodies in order, at most 8,192
# characters), starts the API and asks it each search a few times. Then it drops the trigram
# index and asks again, to show what the index is worth. Everything is removed on exit.
#
# Environment (all optional): SEARCH_CONVERSATIONS=100000, SEARCH_MESSAGES_PER_CONVERSATION=10,
# SEARCH_REPEAT=5, PG_BIN=/usr/lib/postgresql/15/bin, SEARCH_SKIP_BUILD=1 (use the last Release build).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
conversations=${SEARCH_CONVERSATIONS:-100000}
per_conversation=${SEARCH_MESSAGES_PER_CONVERSATION:-10}
repeat=${SEARCH_REPEAT:-5}
api_dir=$root/src/Convor.Api/bin/Release/net10.0
api_dll=$api_dir/Convor.Api.dll

bench_name="search bench"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

[ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries not found in $pg_bin"
if [ "${SEARCH_SKIP_BUILD:-0}" != 1 ]; then
  say "Building the API (Release)..."
  dotnet build "$root/src/Convor.Api/Convor.Api.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi
[ -f "$api_dll" ] || die "$api_dll missing"

bench_workspace convor-search
pg_start "$(free_port)" "shared_buffers = 256MB" "work_mem = 16MB" "maintenance_work_mem = 256MB" \
  "shared_preload_libraries = 'auto_explain'" "fsync = off" "synchronous_commit = off"
psql_db postgres -c "CREATE DATABASE convor"
sql() { psql_db convor "$@"; }
connection="Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres"

run_api() { ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning RateLimiting__PermitLimit=1000000 Snooze__SweepEnabled=false \
  Database__Provider=Postgres ConnectionStrings__Convor="$connection" exec dotnet "$api_dll" "$@"; }

say "Migrating and creating the organization..."
org_json=$(run_api orgs create --name "Search bench")
org_id=$(sed -E 's/.*"orgId":"([^"]+)".*/\1/' <<<"$org_json")
api_key=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' <<<"$org_json")

say "Generating $conversations conversations and $((conversations * per_conversation)) messages..."
started=$(date +%s)
sql <<SQL
-- 8,000 made-up words of three syllables (kabemo, turilo, …), so trigrams look like text's.
CREATE TEMP TABLE syllables AS SELECT s, row_number() OVER () - 1 AS n
  FROM unnest(ARRAY['ka','be','mo','tu','ri','lo','sa','ne','pi','go','da','fe','ju','ha','vo','ci','ze','wu','ly','qa']) s;
CREATE TEMP TABLE vocabulary AS
  SELECT n, (SELECT s FROM syllables WHERE syllables.n = w.n % 20) || (SELECT s FROM syllables WHERE syllables.n = (w.n / 20) % 20)
         || (SELECT s FROM syllables WHERE syllables.n = (w.n / 400) % 20) AS word
  FROM generate_series(0, 7999) AS w(n);
CREATE UNIQUE INDEX ON vocabulary (n);
ANALYZE vocabulary;

INSERT INTO visitors ("Id", "OrganizationId", "CreatedAt")
SELECT gen_random_uuid(), '$org_id', now() - interval '30 days' FROM generate_series(1, $conversations);

CREATE TEMP TABLE c AS
SELECT gen_random_uuid() AS id, v."Id" AS visitor, row_number() OVER () AS n
FROM visitors v WHERE v."OrganizationId" = '$org_id';

-- Bodies of about 12 words, skewed towards the first words of the vocabulary (like text);
-- one conversation in 10,000 mentions "zebrafish" (10 at 100k).
CREATE TEMP TABLE m AS
SELECT c.id AS conversation, k AS version,
       coalesce((SELECT string_agg(v.word, ' ' ORDER BY r.i) FROM
                   (SELECT g.i, floor(8000 * power(random(), 3))::int AS n FROM generate_series(1, 8 + (c.n * k) % 9) AS g(i)) r
                   JOIN vocabulary v USING (n)), '')
       || CASE WHEN c.n % $(( conversations >= 10000 ? 10000 : conversations / 10 )) = 0 AND k = 2 THEN ' zebrafish' ELSE '' END AS body,
       now() - interval '30 days' + (c.n || ' seconds')::interval + (k || ' minutes')::interval AS at
FROM c, generate_series(2, $per_conversation + 1) AS k;

CREATE TEMP TABLE vectors AS
SELECT conversation, left(string_agg(token, ' ' ORDER BY first), 8192) AS text, max(at) AS last_message_at FROM (
  SELECT conversation, token, min(version * 1000 + position) AS first, max(at) AS at
  FROM m, regexp_split_to_table(body, ' ') WITH ORDINALITY AS t(token, position)
  GROUP BY conversation, token) tokens
GROUP BY conversation;

INSERT INTO conversations ("Id", "OrganizationId", "VisitorId", "AssignedOperatorId", "Status", "Priority", "ResolvedBy", "Channel",
  "AiActive", "SnoozedUntil", "LastMessageAt", "Metadata", "CreatedAt", "UpdatedAt", "SearchVector", "Version", "MessageSearchText")
SELECT c.id, '$org_id', c.visitor, NULL, CASE WHEN c.n % 3 = 0 THEN 'Closed' ELSE 'Open' END, 'Normal', NULL, 'Widget',
  true, NULL, vectors.last_message_at, '{"subject":"order ' || c.n || '"}',
  now() - interval '30 days' + (c.n || ' seconds')::interval, now(), 'order ' || c.n || ' ' || vectors.text, $per_conversation + 1, vectors.text
FROM c JOIN vectors ON vectors.conversation = c.id;

INSERT INTO messages ("Id", "OrganizationId", "ConversationId", "Author", "OperatorId", "Body", "CreatedAt", "ConversationVersion")
SELECT gen_random_uuid(), '$org_id', conversation, CASE WHEN version % 2 = 0 THEN 'Visitor' ELSE 'Ai' END, NULL, body, at, version FROM m;
SQL
sql -c "VACUUM ANALYZE"
say "  generated in $(( $(date +%s) - started )) s"
sql -c "SELECT 'conversations: ' || count(*) || ', average searchVector: ' || round(avg(length(\"SearchVector\"))) || ' chars, longest: ' || max(length(\"SearchVector\")) FROM conversations"
sql -c "SELECT 'messages: ' || count(*) FROM messages"
sql -c "SELECT 'kakaka in ' || (SELECT count(*) FROM conversations WHERE ' ' || \"SearchVector\" LIKE '% kakaka%') || ', zebrafish in ' || count(*) || ' conversations; kabemo in ' || (SELECT count(*) FROM conversations WHERE ' ' || \"SearchVector\" LIKE '% kabemo%') FROM conversations WHERE ' ' || \"SearchVector\" LIKE '% zebrafish%'"

# From now on every statement the API sends is logged with its plan and real timings.
sql -c "ALTER DATABASE convor SET auto_explain.log_min_duration = 0" \
        -c "ALTER DATABASE convor SET auto_explain.log_analyze = on" \
        -c "ALTER DATABASE convor SET auto_explain.log_buffers = on"

api_port=$(free_port)
ASPNETCORE_URLS="http://127.0.0.1:$api_port" run_api >"$work/api.log" 2>&1 &
bench_track $!
wait_http "http://127.0.0.1:$api_port/health/ready" 60 200

measure() { # $1 label
  local q ms
  set +e
  printf '\n%s\n' "$1"
  printf '| q | found (page of 25) | server execution, ms (median of %s) | plan |\n|---|---|---|---|\n' "$repeat"
  for q in zebrafish kabemo kakaka "kabemo turilo" nowhereword; do
    : >"$work/pglog/pg.log"
    local found=
    for _ in $(seq 1 "$repeat"); do
      found=$(curl -s -H "Authorization: Bearer $api_key" "http://127.0.0.1:$api_port/api/conversations?q=${q// /%20}" | grep -o '"visitorId":"' | wc -l)
    done
    # auto_explain writes "duration: N ms  plan:" then "Query Text: …": keep the list's reads.
    ms=$(grep -B1 'Query Text:.*"SearchVector"' "$work/pglog/pg.log" | grep -oE 'duration: [0-9.]+ ms' | awk '{print $2}' || true)
    # A request reads up to two segments (with / without a last message); sum per request.
    local per_request median plan
    per_request=$(awk -v n="$repeat" '{ t[NR] = $1 } END { per = NR / n; for (i = 0; i < n; i++) { s = 0; for (j = 1; j <= per; j++) s += t[i * per + j]; print s } }' <<<"$ms" | sort -n)
    median=$(awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }' <<<"$per_request")
    plan=$(grep -A40 'Query Text:.*"SearchVector"' "$work/pglog/pg.log" | grep -oE '(Bitmap Index Scan on [a-z_]+|Index Scan( Backward)? using [a-z_]+|Seq Scan on [a-z_]+)' | sort -u | paste -sd ';' | sed 's/;/; /g')
    printf '| `%s` | %s | %s | %s |\n' "$q" "$found" "$median" "$plan"
  done
  set -e
}

has_index=$(sql -c "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_conversations_search_trgm'")
if [ "$has_index" = 1 ]; then
  measure "With the trigram index (as migrated):"
  sql -c "DROP INDEX ix_conversations_search_trgm" -c "ANALYZE conversations"
  measure "Without it (dropped for comparison):"
else
  measure "Without a search index:"
fi
say ""
say "One plan in full (the last search, last request):"
grep -B1 -A30 'Query Text:.*"SearchVector"' "$work/pglog/pg.log" | tail -32 >&2 || true
[ -z "${SEARCH_DEBUG_LOG:-}" ] || cp "$work/pglog/pg.log" "$SEARCH_DEBUG_LOG"
