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
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
out=$here/out
api_dll=$out/api/Convor.Api.dll
say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

[ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries not found in $pg_bin (apt-get install -y postgresql)"
command -v python3 >/dev/null || die "python3 is missing"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "Publishing the API (Release)..."
  dotnet publish "$root/src/Convor.Api/Convor.Api.csproj" -c Release -o "$out/api" -nologo -v q -clp:ErrorsOnly >&2
fi
[ -f "$api_dll" ] || die "published API missing in $out/api (run without BENCH_SKIP_BUILD)"

work=$(mktemp -d /tmp/convor-routing-bench.XXXXXX)
chmod 755 "$work"
pids=()
pg_started=0
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$pg_started" = 1 ]; then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port"
}

pg_port=$(free_port)
mkdir -p "$work/pg" "$work/sock" "$work/pglog"
[ ${#as_pg[@]} -eq 0 ] || chown postgres:postgres "$work/pg" "$work/sock" "$work/pglog"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
cat >>"$work/pg/postgresql.conf" <<EOF
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/sock'
max_connections = 200
shared_buffers = 256MB
EOF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pglog/pg.log" -w start >/dev/null
pg_started=1
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atq -c "CREATE DATABASE convor"
connection="Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres"

run_api() {
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning RateLimiting__PermitLimit=10000000 \
    Database__Provider=Postgres ConnectionStrings__Convor="$connection" dotnet "$api_dll" "$@"
}
org_json=$(run_api orgs create --name "Routing bench" 2>>"$work/admin.log")
api_port=$(free_port)
ASPNETCORE_URLS="http://127.0.0.1:$api_port" run_api >"$work/api.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$api_port/health/ready" >/dev/null || { cat "$work/api.log" >&2; die "the API did not start"; }

BENCH_API="http://127.0.0.1:$api_port" BENCH_ORG_JSON="$org_json" BENCH_PSQL="$pg_bin/psql -h 127.0.0.1 -p $pg_port -U postgres -d convor -Atq" \
  python3 "$here/routing.py"
