#!/usr/bin/env bash
# Routing figures on PostgreSQL (see bench/README.md, "Routing"): not a test, it prints numbers.
#
#   1. handoff → assigned: with BENCH_ROUTING_OPERATORS (1,000) online operators, the time of
#      one POST /handoff that routes at once (the answer is the assignment), p50/p90/p99 over
#      BENCH_ROUTING_HANDOFFS sequential handoffs;
#   2. drain: BENCH_ROUTING_WAITING (1,000) waiting conversations, then BENCH_ROUTING_COMERS (100)
#      operators (maxConversations 10) come online through PATCH, 8 at a time; the time from the
#      first PATCH until nothing waits.
#
# Starts a throwaway PostgreSQL 15 cluster and the API (Release build) on loopback; stops both on
# exit. Operators are seeded through the API too, so every row went through the aggregate.
# Environment: BENCH_ROUTING_OPERATORS, BENCH_ROUTING_HANDOFFS (200), BENCH_ROUTING_WAITING,
# BENCH_ROUTING_COMERS, BENCH_SKIP_BUILD=1 (reuse bench/out/api), PG_BIN.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench_name=routing
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
out=$here/out
api_dll=$out/api/Convor.Api.dll

[ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries not found in $pg_bin (apt-get install -y postgresql)"
command -v python3 >/dev/null || die "python3 is missing"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "Publishing the API (Release)..."
  dotnet publish "$root/src/Convor.Api/Convor.Api.csproj" -c Release -o "$out/api" -nologo -v q -clp:ErrorsOnly >&2
fi
[ -f "$api_dll" ] || die "published API missing in $out/api (run without BENCH_SKIP_BUILD)"

bench_workspace convor-routing-bench
pg_start "$(free_port)" "max_connections = 200" "shared_buffers = 256MB"
psql_db postgres -c "CREATE DATABASE convor"
connection="Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres"

run_api() {
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning RateLimiting__PermitLimit=10000000 \
    Database__Provider=Postgres ConnectionStrings__Convor="$connection" dotnet "$api_dll" "$@"
}
org_json=$(run_api orgs create --name "Routing bench" 2>>"$work/admin.log")
api_port=$(free_port)
ASPNETCORE_URLS="http://127.0.0.1:$api_port" run_api >"$work/api.log" 2>&1 &
bench_track $!
wait_http "http://127.0.0.1:$api_port/health/ready" 30 200   # BENCH_KEEP_LOGS=1 keeps api.log

BENCH_API="http://127.0.0.1:$api_port" BENCH_ORG_JSON="$org_json" BENCH_PSQL="$pg_bin/psql -h 127.0.0.1 -p $pg_port -U postgres -d convor -Atq" \
  python3 "$here/routing.py"
