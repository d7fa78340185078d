#!/usr/bin/env bash
# Webhook bench (not a test; see README.md "Webhooks"): the outbox's cost on the command mix
# (one subscribed endpoint versus none, same run) and delivery throughput and p99
# event-to-receipt latency with a local receiver. PostgreSQL in a throwaway cluster by default;
# BENCH_DB=sqlite uses a temporary SQLite file instead.
#   BENCH_DURATION (default 10) seconds per round, BENCH_WORKERS (default 16) client workers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench_name=webhooks
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
cd "$here"
bench_workspace convor-webhook-bench

dotnet build Convor.Bench.Webhooks -c Release -nologo -v q >&2
bin=Convor.Bench.Webhooks/bin/Release/net10.0/Convor.Bench.Webhooks.dll

if [ "${BENCH_DB:-postgres}" = sqlite ]; then
  dotnet "$bin" Sqlite "Data Source=$work/convor.db" "${BENCH_DURATION:-10}" "${BENCH_WORKERS:-16}"
  exit
fi

pg_start "$(free_port)" "max_connections = 200" "shared_buffers = 256MB"
psql_db postgres -c "CREATE DATABASE convor"
dotnet "$bin" Postgres "Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres" "${BENCH_DURATION:-10}" "${BENCH_WORKERS:-16}"
