# shellcheck shell=bash
# What the bench scripts share (run.sh, profile.sh, routing.sh, search.sh, webhooks.sh):
# messages, free loopback ports, a throwaway workspace that is removed on exit with
# everything started in it, a throwaway PostgreSQL 15 cluster, and waiting for a URL.
#
# Source it after `set -euo pipefail`, with bench_name set to the script's name:
#   bench_name=run; . "$(dirname "$0")/lib.sh"
#   bench_workspace convor-bench          # $work, removed on exit (pg data too)
#   pg_start "$(free_port)" "shared_buffers = 256MB"   # then extra postgresql.conf lines
#   psql_db convor -c "…"                 # $pg_port, $pg_bin
#   some_server & bench_track $!          # killed (TERM) and waited for on exit
#   wait_http "http://127.0.0.1:$port/health/live" 60
#
# BENCH_KEEP_LOGS=1 keeps $work (less the PostgreSQL data directory) and says where.

bench_name=${bench_name:-bench}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
bench_pids=()
bench_pg_started=0
work=
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

say() { printf '%s\n' "$*" >&2; }
die() { say "$bench_name: $*"; exit 1; }
now_ms() { date +%s%3N; }

# A loopback TCP port nothing listens on now.
free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port"
}

# $1: mktemp prefix. Sets $work and the exit trap.
bench_workspace() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$work"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# Remember a background process: it is stopped on exit.
bench_track() { bench_pids+=("$1"); }

# Stop one tracked process now (TERM, then wait for it).
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$bench_pg_started" = 1 ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$work" ] || return 0
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ]; then
    rm -rf "$work/pg"
    say "logs kept in $work"
  else
    rm -rf "$work"
  fi
}

# Throwaway PostgreSQL cluster in $work/pg on 127.0.0.1:$1 (trust auth, user postgres, no
# fsync at initdb only: the running cluster keeps the default durability unless the extra
# postgresql.conf lines $2… say otherwise). Sets $pg_port; the log is $work/pglog/pg.log.
pg_start() {
  [ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries not found in $pg_bin (apt-get install -y postgresql, or PG_BIN=)"
  pg_port=$1
  shift
  mkdir -p "$work/pg" "$work/sock" "$work/pglog"
  [ ${#as_pg[@]} -eq 0 ] || chown postgres:postgres "$work/pg" "$work/sock" "$work/pglog"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  {
    echo "port = $pg_port"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$work/sock'"
    printf '%s\n' "$@"
  } >>"$work/pg/postgresql.conf"
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pglog/pg.log" -w start >/dev/null
  bench_pg_started=1
}

# psql on the throwaway cluster: $1 database, then psql arguments (unaligned, tuples only).
psql_db() { local db=$1; shift; "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -Atq "$@"; }

# Wait until $1 answers (any HTTP status, or $3 when given) within $2 seconds (default 60); else die.
# Extra curl arguments (headers) may follow as $4….
wait_http() {
  local url=$1 seconds=${2:-60} want=${3:-} code deadline
  shift $(( $# < 3 ? $# : 3 ))
  deadline=$(( $(now_ms) + seconds * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != 000 ] && { [ -z "$want" ] || [ "$code" = "$want" ]; }; then return 0; fi
    sleep 0.01
  done
  die "no ${want:-HTTP} answer from $url within ${seconds}s"
}
