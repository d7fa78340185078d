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

# ============================================================================================
# The request mix's setup, shared by run.sh and profile.sh. Needs $here (bench/) and $root.
# ============================================================================================

# Published as a deployment would be: Release, ReadyToRun (precompiled, so start-up does not
# wait for the JIT), framework-dependent; the bench servers get the same treatment. Skipped
# with BENCH_SKIP_BUILD=1 (reuses bench/out/). $@: what to publish (api reference
# wire-counter receiver; default all).
mix_publish() {
  local what=("$@") rid
  [ ${#what[@]} -gt 0 ] || what=(api reference wire-counter receiver)
  out=$here/out
  api_dll=$out/api/Convor.Api.dll
  ref_dll=$out/reference/Convor.Bench.Reference.dll
  counter_dll=$out/wire-counter/Convor.Bench.WireCounter.dll
  receiver_dll=$out/receiver/Convor.Bench.Receiver.dll
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
    say "Publishing ${what[*]} (Release, ReadyToRun, $rid)..."
    local item project
    for item in "${what[@]}"; do
      case $item in
        api) project=$root/src/Convor.Api/Convor.Api.csproj ;;
        reference) project=$here/Convor.Bench.Reference/Convor.Bench.Reference.csproj ;;
        wire-counter) project=$here/Convor.Bench.WireCounter/Convor.Bench.WireCounter.csproj ;;
        receiver) project=$here/Convor.Bench.Receiver/Convor.Bench.Receiver.csproj ;;
        *) die "mix_publish: unknown $item" ;;
      esac
      dotnet publish "$project" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
        -o "$out/$item" -nologo -v q -clp:ErrorsOnly >&2
    done
  fi
  for item in "${what[@]}"; do
    [ -n "$(ls "$out/$item"/*.dll 2>/dev/null)" ] || die "nothing published in $out/$item (run without BENCH_SKIP_BUILD)"
  done
}

mix_require_wrk() {
  command -v curl >/dev/null || die "curl is missing"
  command -v wrk >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "wrk is missing: apt-get install -y wrk"
  say "Installing wrk (apt)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >&2 || die "could not install wrk"
}

# PostgreSQL 15 with default durability (every commit waits for its WAL flush) and
# pg_stat_statements; database convor. Sets the connection strings.
mix_database() {
  pg_start "$(free_port)" "max_connections = 300" "shared_buffers = 256MB" \
    "shared_preload_libraries = 'pg_stat_statements'" "pg_stat_statements.track = top" "pg_stat_statements.track_utility = on"
  psql_db postgres -c "CREATE DATABASE convor" -c "CREATE EXTENSION pg_stat_statements"
  connection="Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres"
  api_connection="$connection${BENCH_API_CONNECTION_EXTRA:-}"
  # The physical limit gets the driver's best: no session reset between pooled uses, and
  # its statements prepared once per connection.
  ref_tuning=";No Reset On Close=true;Max Auto Prepare=16;Auto Prepare Min Usages=2"
  ref_connection="$connection$ref_tuning"
  # Endpoint secrets are encrypted at rest; Production refuses to run without the key once
  # an endpoint exists. A fresh one per run.
  webhook_key=$(head -c 32 /dev/urandom | base64)
}

# The API's environment: Production, warnings only, one key drives all the load, so its rate
# limit is raised far above what wrk can send (the limiter still runs on every request, so
# its cost is measured, but never answers 429); webhooks to the loopback receiver allowed.
# (An array for `env`, so that a background start's $! is the dotnet process itself.)
api_settings() {
  api_vars=(ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
    RateLimiting__PermitLimit=10000000 Database__Provider=Postgres
    Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true Webhooks__SecretEncryptionKey="$webhook_key")
}
admin() { api_settings; env "${api_vars[@]}" ConnectionStrings__Convor="$api_connection" dotnet "$api_dll" "$@" 2>>"$work/admin.log"; }

# $1 port, $2 connection string, $3 log, then extra VAR=value settings. Sets $started_pid.
start_api() {
  local port=$1 conn=$2 log=$3
  shift 3
  api_settings
  local -a extra_env
  read -r -a extra_env <<<"${BENCH_API_ENV:-}"
  env "${api_vars[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" ConnectionStrings__Convor="$conn" ${extra_env[@]+"${extra_env[@]}"} "$@" dotnet "$api_dll" >"$log" 2>&1 &
  started_pid=$!
  bench_track "$started_pid"
}
start_ref() { # $1 port, $2 connection string, $3 log
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$1" Logging__LogLevel__Default=Warning \
    ConnectionStrings__Convor="$2" dotnet "$ref_dll" >"$3" 2>&1 &
  started_pid=$!
  bench_track "$started_pid"
}

json_field() { sed -nE "s/.*\"$1\":\"([^\"]*)\".*/\1/p"; }
auth_header() { echo "Authorization: Bearer $api_key"; }

# Wall time (ms) from $2 until GET $1 with the key answers 200.
wait_ok_ms() {
  wait_http "$1" 60 200 -H "$(auth_header)"
  echo $(( $(now_ms) - $2 ))
}

# The loopback receiver the API delivers to (answers 204, counts). Sets $receiver_url, $receiver_pid.
start_receiver() {
  local port
  port=$(free_port)
  ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$receiver_dll" >"$work/receiver.log" 2>&1 &
  receiver_pid=$!
  bench_track "$receiver_pid"
  receiver_url="http://127.0.0.1:$port"
  wait_http "$receiver_url/count" 60 200
}
receiver_count() { curl -s "$receiver_url/count" | cut -d' ' -f1; }

# Organization (admin command line; applies the migrations), then through a temporary API:
# BENCH_OPERATORS operators, BENCH_CONVERSATIONS conversations (priorities low, normal, high,
# urgent in turn, for the list reads) and, when $receiver_url is set, one webhook endpoint
# subscribed to "*" (left active). Writes $work/conversations.txt and $work/operators.txt;
# sets $org_id, $api_key, $endpoint_id, $first_conversation.
mix_seed() {
  local conversation_count=${BENCH_CONVERSATIONS:-10000} operator_count=${BENCH_OPERATORS:-20}
  say "Creating the organization (admin command line; applies the migrations)..."
  local org_json
  org_json=$(admin orgs create --name "Bench Org")
  org_id=$(json_field orgId <<<"$org_json")
  api_key=$(json_field apiKey <<<"$org_json")
  [ -n "$org_id" ] && [ -n "$api_key" ] || die "orgs create printed no orgId/apiKey"

  local port url i code
  port=$(free_port); url="http://127.0.0.1:$port"
  start_api "$port" "$api_connection" "$work/api-seed.log"
  local seed_pid=$started_pid
  wait_http "$url/health/live" 60

  say "Seeding $operator_count operators and $conversation_count conversations through the API..."
  for i in $(seq 1 "$operator_count"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/operators" -H "$(auth_header)" -H 'Content-Type: application/json' \
      -d "{\"name\":\"Bench Operator $i\",\"email\":\"bench-op-$i@example.test\",\"role\":\"agent\",\"active\":true}")
    [ "$code" = 201 ] || die "creating operator $i answered $code"
  done
  local priorities=(low normal high urgent)
  {
    for i in $(seq 1 "$conversation_count"); do
      [ "$i" = 1 ] || echo next
      printf 'url = "%s/api/conversations"\nrequest = "POST"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "{\\"channel\\":\\"widget\\",\\"priority\\":\\"%s\\"}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nsilent\n' \
        "$url" "$api_key" "${priorities[$(( i % 4 ))]}"
    done
  } >"$work/seed.cfg"
  local seed_codes created
  seed_codes=$(curl --no-progress-meter --parallel --parallel-max 8 -K "$work/seed.cfg" | sort | uniq -c | tr -s ' ')
  rm -f "$work/seed.cfg"
  created=$(psql_db convor -c "SELECT count(*) FROM conversations WHERE \"OrganizationId\" = '$org_id'")
  [ "$created" = "$conversation_count" ] || die "seeded $created conversations, expected $conversation_count (answers: $seed_codes)"
  psql_db convor -c "SELECT \"Id\" FROM conversations WHERE \"OrganizationId\" = '$org_id' ORDER BY \"CreatedAt\", \"Id\"" >"$work/conversations.txt"
  psql_db convor -c "SELECT \"Id\" FROM operators WHERE \"OrganizationId\" = '$org_id' ORDER BY \"CreatedAt\", \"Id\"" >"$work/operators.txt"
  first_conversation=$(head -n1 "$work/conversations.txt")

  endpoint_id=
  if [ -n "${receiver_url:-}" ]; then
    local answer
    answer=$(curl -s -X POST "$url/api/webhooks" -H "$(auth_header)" -H 'Content-Type: application/json' \
      -d "{\"url\":\"$receiver_url/hook\",\"events\":[\"*\"],\"description\":\"bench receiver\"}")
    endpoint_id=$(json_field id <<<"$answer" | head -n1)
    [ -n "$endpoint_id" ] || die "creating the webhook endpoint failed: $answer"
  fi
  stop_pid "$seed_pid"
}

# Turn the endpoint on (true) or off (false) with a PATCH through the API at $1, then wait
# out both servers' subscription caches (2 s in the API and in the reference).
endpoint_active() {
  local url=$1 active=$2 code
  code=$(curl -s -o "$work/patch.json" -w '%{http_code}' -X PATCH "$url/api/webhooks/$endpoint_id" -H "$(auth_header)" \
    -H 'Content-Type: application/json' -d "{\"active\":$active}")
  [ "$code" = 200 ] || die "PATCH webhook answered $code: $(cat "$work/patch.json")"
  sleep 2.5
}

# Fresh state before each measured run: every conversation open and unassigned, no activity
# log, no outbox (the API's dispatcher may be holding a claim: TRUNCATE waits for it, and its
# attempt then finds no row and records nothing), vacuumed, checkpointed, counters reset.
reset_state() {
  psql_db convor \
    -c "UPDATE conversations SET \"Status\" = 'Open', \"AssignedOperatorId\" = NULL, \"AiActive\" = true, \"ResolvedBy\" = NULL, \"SnoozedUntil\" = NULL WHERE \"OrganizationId\" = '$org_id'" \
    -c "TRUNCATE conversation_events, webhook_attempts, webhook_deliveries" -c "VACUUM ANALYZE" -c "CHECKPOINT"
  psql_db postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
}

# $1 url, $2 connections, $3 seconds, then VAR=value for mix.lua (BENCH_ONLY=…) → the BENCH line.
run_wrk() {
  local url=$1 connections=$2 seconds=$3 threads=2
  shift 3
  [ "$connections" -ge 2 ] || threads=1
  env BENCH_KEY="$api_key" BENCH_CONVERSATIONS="$work/conversations.txt" BENCH_OPERATORS="$work/operators.txt" \
    BENCH_THREADS=$threads BENCH_CONNECTIONS="$connections" BENCH_READS="${BENCH_READS:-30}" "$@" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/mix.lua" "$url" | grep '^BENCH '
}

# CPU time (ms) of a process, and of the whole PostgreSQL cluster (postmaster, its live
# children, and the children that exited, which the kernel adds to the postmaster).
clock_ticks=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
pg_cpu_ms() {
  local postmaster total pid
  postmaster=$(head -n1 "$work/pg/postmaster.pid")
  total=$(awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$postmaster/stat")
  for pid in $(pgrep -P "$postmaster"); do
    total=$(( total + $(cpu_ms "$pid" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
vm_hwm_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
vm_rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
