#!/usr/bin/env bash
# Webhook bench (not a test; see README.md "Webhooks"): the outbox's cost on the command mix
# (one subscribed endpoint versus none, same run) and delivery throughput and p99
# event-to-receipt latency with a local receiver. PostgreSQL in a throwaway cluster by default;
# BENCH_DB=sqlite uses a temporary SQLite file instead.
#   BENCH_DURATION (default 10) seconds per round, BENCH_WORKERS (default 16) client workers.
set -euo pipefail
cd "$(dirname "$0")"
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/convor-webhook-bench.XXXXXX)
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
pg_started=0
cleanup() {
  if [ "$pg_started" = 1 ]; then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
chmod 755 "$work"

dotnet build Convor.Bench.Webhooks -c Release -nologo -v q >&2
bin=Convor.Bench.Webhooks/bin/Release/net10.0/Convor.Bench.Webhooks.dll

if [ "${BENCH_DB:-postgres}" = sqlite ]; then
  exec dotnet "$bin" Sqlite "Data Source=$work/convor.db" "${BENCH_DURATION:-10}" "${BENCH_WORKERS:-16}"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/pg" "$work/sock"
[ ${#as_pg[@]} -eq 0 ] || chown postgres:postgres "$work/pg" "$work/sock"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
cat >>"$work/pg/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/sock'
max_connections = 200
shared_buffers = 256MB
CONF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w start >/dev/null
pg_started=1
"$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atq -c "CREATE DATABASE convor"
dotnet "$bin" Postgres "Host=127.0.0.1;Port=$port;Database=convor;Username=postgres" "${BENCH_DURATION:-10}" "${BENCH_WORKERS:-16}"
