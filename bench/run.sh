#!/usr/bin/env bash
# Convor API against its physical limit, in one run (see bench/README.md).
#
# Starts a throwaway PostgreSQL 15 cluster, the API (Release) and the reference server
# (bench/Convor.Bench.Reference: each command one SQL statement) on the same database,
# seeds an organization, operators and conversations through the API, then drives the
# same command mix (bench/mix.lua) with wrk at each connection level against both, and
# prints throughput, latency, errors, peak memory, statements and round trips per command,
# startup time and the Convor/reference ratios. Everything it starts is stopped on exit.
#
# Environment (all optional):
#   BENCH_DURATION=15        seconds per level and server
#   BENCH_WARMUP=5           seconds of unmeasured load per server before the first level
#   BENCH_LEVELS="1 16 64"   wrk connection counts
#   BENCH_CONVERSATIONS=10000, BENCH_OPERATORS=20
#   BENCH_REOPEN=auto        auto: use reopen if the API has it, else the "get" stand-in;
#                            reopen | get: force one (see mix.lua)
#   BENCH_ROUND_TRIPS=1      also count wire round trips per command through a counting
#                            proxy (a short extra pass at 1 connection per server)
#   BENCH_SKIP_BUILD=1       reuse the servers published by the last run (bench/out/)
#   BENCH_KEEP_LOGS=1        keep the servers' and PostgreSQL's logs (in /tmp/convor-bench.*)
#   BENCH_API_CONNECTION_EXTRA=";Key=Value"   appended to the API's connection string
#   PG_BIN=/usr/lib/postgresql/15/bin
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
duration=${BENCH_DURATION:-15}
warmup=${BENCH_WARMUP:-5}
levels=${BENCH_LEVELS:-"1 16 64"}
conversation_count=${BENCH_CONVERSATIONS:-10000}
operator_count=${BENCH_OPERATORS:-20}
reopen_mode=${BENCH_REOPEN:-auto}
count_round_trips=${BENCH_ROUND_TRIPS:-1}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
out=$here/out
api_dll=$out/api/Convor.Api.dll
ref_dll=$out/reference/Convor.Bench.Reference.dll
counter_dll=$out/wire-counter/Convor.Bench.WireCounter.dll

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || die "wrk is missing: apt-get install -y wrk"
  say "Installing wrk (apt)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >&2 || die "could not install wrk"
fi
[ -x "$pg_bin/initdb" ] || die "PostgreSQL server binaries not found in $pg_bin (apt-get install -y postgresql)"
command -v curl >/dev/null || die "curl is missing"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # Published as a deployment would be: Release, ReadyToRun (precompiled, so start-up does
  # not wait for the JIT), framework-dependent. Both servers get the same treatment.
  rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  say "Publishing the API and the bench servers (Release, ReadyToRun, $rid)..."
  publish() {
    dotnet publish "$1" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
      -o "$2" -nologo -v q -clp:ErrorsOnly >&2
  }
  publish "$root/src/Convor.Api/Convor.Api.csproj" "$out/api"
  publish "$here/Convor.Bench.Reference/Convor.Bench.Reference.csproj" "$out/reference"
  publish "$here/Convor.Bench.WireCounter/Convor.Bench.WireCounter.csproj" "$out/wire-counter"
fi
[ -f "$api_dll" ] && [ -f "$ref_dll" ] && [ -f "$counter_dll" ] || die "published servers missing in $out (run without BENCH_SKIP_BUILD)"

# ---------------------------------------------------------------- throwaway workspace
work=$(mktemp -d /tmp/convor-bench.XXXXXX)
chmod 755 "$work"
pids=()
pg_started=0
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$pg_started" = 1 ]; then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ]; then
    rm -rf "$work/pg" "$work/conversations.txt" "$work/operators.txt"
    say "logs kept in $work"
  else
    rm -rf "$work"
  fi
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

now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- PostgreSQL
pg_port=$(free_port)
mkdir -p "$work/pg" "$work/sock" "$work/pglog"
[ ${#as_pg[@]} -eq 0 ] || chown postgres:postgres "$work/pg" "$work/sock" "$work/pglog"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
cat >>"$work/pg/postgresql.conf" <<EOF
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/sock'
max_connections = 300
shared_buffers = 256MB
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
pg_stat_statements.track_utility = on
EOF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pglog/pg.log" -w start >/dev/null
pg_started=1
psql_db() { local db=$1; shift; "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -Atq "$@"; }
psql_db postgres -c "CREATE DATABASE convor" -c "CREATE EXTENSION pg_stat_statements"

connection="Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres"
api_connection="$connection${BENCH_API_CONNECTION_EXTRA:-}"
# The physical limit gets the driver's best: no session reset between pooled uses, and
# its statements prepared once per connection.
ref_tuning=";No Reset On Close=true;Max Auto Prepare=16;Auto Prepare Min Usages=2"
ref_connection="$connection$ref_tuning"

# ---------------------------------------------------------------- servers
# One key drives all the load: its rate limit is raised far above what wrk can send, so the
# limiter still runs on every request (its cost is measured) but never answers 429.
start_api() { # $1 port, $2 connection string, $3 log
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$1" Logging__LogLevel__Default=Warning \
    RateLimiting__PermitLimit=10000000 Database__Provider=Postgres ConnectionStrings__Convor="$2" dotnet "$api_dll" >"$3" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}
start_ref() { # $1 port, $2 connection string, $3 log
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$1" Logging__LogLevel__Default=Warning \
    ConnectionStrings__Convor="$2" dotnet "$ref_dll" >"$3" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Wall time from now until GET $1 with the key answers 200 (polled every ~10 ms, 60 s at most).
wait_ok_ms() {
  local url=$1 started=$2 deadline=$(( $(now_ms) + 60000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $api_key" "$url" 2>/dev/null)" = 200 ]; then
      echo $(( $(now_ms) - started )); return
    fi
    sleep 0.01
  done
  die "no 200 from $url within 60 s (see the server log)"
}
wait_up() { # $1 base URL: any HTTP answer
  local deadline=$(( $(now_ms) + 60000 ))
  until curl -s -o /dev/null "$1/health/live" 2>/dev/null || curl -s -o /dev/null "$1/" 2>/dev/null; do
    [ "$(now_ms)" -lt "$deadline" ] || die "$1 did not start"
    sleep 0.05
  done
}

admin() {
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Database__Provider=Postgres \
    ConnectionStrings__Convor="$api_connection" dotnet "$api_dll" "$@" 2>>"$work/admin.log"
}
json_field() { sed -nE "s/.*\"$1\":\"([^\"]*)\".*/\1/p"; }

# ---------------------------------------------------------------- seed through the API
say "Creating the organization (admin command line; applies the migrations)..."
org_json=$(admin orgs create --name "Bench Org")
org_id=$(json_field orgId <<<"$org_json")
api_key=$(json_field apiKey <<<"$org_json")
[ -n "$org_id" ] && [ -n "$api_key" ] || die "orgs create printed no orgId/apiKey"

api_port=$(free_port)
api_url="http://127.0.0.1:$api_port"
start_api "$api_port" "$api_connection" "$work/api-seed.log"
seed_pid=$started_pid
wait_up "$api_url"

say "Seeding $operator_count operators and $conversation_count conversations through the API..."
for i in $(seq 1 "$operator_count"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$api_url/api/operators" \
    -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench Operator $i\",\"email\":\"bench-op-$i@example.test\",\"role\":\"agent\",\"active\":true}")
  [ "$code" = 201 ] || die "creating operator $i answered $code"
done
{
  for i in $(seq 1 "$conversation_count"); do
    [ "$i" = 1 ] || echo next
    printf 'url = "%s/api/conversations"\nrequest = "POST"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "{\\"channel\\":\\"widget\\"}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nsilent\n' \
      "$api_url" "$api_key"
  done
} >"$work/seed.cfg"
seed_codes=$(curl --no-progress-meter --parallel --parallel-max 8 -K "$work/seed.cfg" | sort | uniq -c | tr -s ' ')
rm -f "$work/seed.cfg"
created=$(psql_db convor -c "SELECT count(*) FROM conversations WHERE \"OrganizationId\" = '$org_id'")
[ "$created" = "$conversation_count" ] || die "seeded $created conversations, expected $conversation_count (answers: $seed_codes)"
psql_db convor -c "SELECT \"Id\" FROM conversations WHERE \"OrganizationId\" = '$org_id' ORDER BY \"CreatedAt\", \"Id\"" >"$work/conversations.txt"
psql_db convor -c "SELECT \"Id\" FROM operators WHERE \"OrganizationId\" = '$org_id' ORDER BY \"CreatedAt\", \"Id\"" >"$work/operators.txt"
first_conversation=$(head -n1 "$work/conversations.txt")
stop_pid "$seed_pid"

# ---------------------------------------------------------------- timed starts
say "Starting the API (timed: process start to first 200 on an authenticated GET)..."
started=$(now_ms)
start_api "$api_port" "$api_connection" "$work/api.log"
api_pid=$started_pid
api_startup_ms=$(wait_ok_ms "$api_url/api/conversations/$first_conversation" "$started")

ref_port=$(free_port)
ref_url="http://127.0.0.1:$ref_port"
started=$(now_ms)
start_ref "$ref_port" "$ref_connection" "$work/ref.log"
ref_pid=$started_pid
ref_startup_ms=$(wait_ok_ms "$ref_url/api/conversations/$first_conversation" "$started")

# ---------------------------------------------------------------- reopen support
if [ "$reopen_mode" = auto ]; then
  probe=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $api_key" \
    "$api_url/api/conversations/$first_conversation/reopen")
  if [ "$probe" = 200 ]; then reopen_mode=reopen; else reopen_mode=get; fi
  say "API reopen probe answered $probe: mix uses '$reopen_mode' for the reopen slot."
fi

# ---------------------------------------------------------------- one measured run
reset_state() {
  psql_db convor \
    -c "UPDATE conversations SET \"Status\" = 'Open', \"AssignedOperatorId\" = NULL, \"AiActive\" = true, \"ResolvedBy\" = NULL, \"SnoozedUntil\" = NULL WHERE \"OrganizationId\" = '$org_id'" \
    -c "TRUNCATE conversation_events" -c "VACUUM ANALYZE" -c "CHECKPOINT"
  psql_db postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
}

statements_per_kind() { # "SELECT=… UPDATE=… …" for the convor database since the last reset
  psql_db postgres -F= -c "
    SELECT upper(split_part(ltrim(query), ' ', 1)), sum(calls)
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'convor')
    GROUP BY 1 ORDER BY 2 DESC" | tr '\n' ' '
}
statements_total() {
  psql_db postgres -c "
    SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'convor')"
}

# CPU time (ms) of a process, and of the whole PostgreSQL cluster (postmaster, its live
# children, and the children that exited, which the kernel adds to the postmaster).
clock_ticks=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
pg_cpu_ms() {
  local postmaster total=0 pid
  postmaster=$(head -n1 "$work/pg/postmaster.pid")
  total=$(awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$postmaster/stat")
  for pid in $(pgrep -P "$postmaster"); do
    total=$(( total + $(cpu_ms "$pid" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

vm_hwm_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

run_wrk() { # $1 url, $2 connections, $3 seconds → the BENCH line
  local threads=2
  [ "$2" -ge 2 ] || threads=1
  BENCH_KEY=$api_key BENCH_CONVERSATIONS="$work/conversations.txt" BENCH_OPERATORS="$work/operators.txt" \
    BENCH_THREADS=$threads BENCH_CONNECTIONS=$2 BENCH_REOPEN=$reopen_mode \
    wrk -t"$threads" -c"$2" -d"$3s" --timeout 10s -s "$here/mix.lua" "$1" | grep '^BENCH '
}

field() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<" $2"; }

declare -A result
measure() { # $1 server name (api|ref), $2 url, $3 pid, $4 connections
  reset_state
  local line server_cpu_before pg_cpu_before
  server_cpu_before=$(cpu_ms "$3"); pg_cpu_before=$(pg_cpu_ms)
  line=$(run_wrk "$2" "$4" "$duration")
  local server_cpu=$(( $(cpu_ms "$3") - server_cpu_before )) pg_cpu=$(( $(pg_cpu_ms) - pg_cpu_before ))
  local requests errors
  requests=$(field requests "$line")
  errors=$(( $(field non2xx "$line") + $(field connect_errors "$line") + $(field read_errors "$line") + $(field write_errors "$line") + $(field timeouts "$line") ))
  result[$1,$4,rps]=$(awk -v r="$requests" -v d="$(field duration_us "$line")" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  result[$1,$4,p50]=$(awk -v v="$(field p50_us "$line")" 'BEGIN { printf "%.2f", v / 1000 }')
  result[$1,$4,p99]=$(awk -v v="$(field p99_us "$line")" 'BEGIN { printf "%.2f", v / 1000 }')
  result[$1,$4,errors]=$errors
  result[$1,$4,requests]=$requests
  result[$1,$4,statements]=$(awk -v s="$(statements_total)" -v r="$requests" 'BEGIN { printf "%.2f", s / r }')
  result[$1,$4,kinds]=$(statements_per_kind)
  result[$1,$4,mem]=$(vm_hwm_mb "$3")
  result[$1,$4,cpu]=$(awk -v c="$server_cpu" -v r="$requests" 'BEGIN { printf "%.2f", c / r }')
  result[$1,$4,pgcpu]=$(awk -v c="$pg_cpu" -v r="$requests" 'BEGIN { printf "%.2f", c / r }')
  result[$1,$4,mix]=$(sed -nE 's/.*(sent_assign=.*)/\1/p' <<<"$line")
  say "  $1 c=$4: ${result[$1,$4,rps]} req/s, p50 ${result[$1,$4,p50]} ms, p99 ${result[$1,$4,p99]} ms, errors $errors, statements/cmd ${result[$1,$4,statements]}, CPU ms/req server ${result[$1,$4,cpu]} + PostgreSQL ${result[$1,$4,pgcpu]}"
}

if [ "$warmup" -gt 0 ]; then
  say "Warming up both servers (${warmup}s each at 16 connections, not measured)..."
  reset_state; run_wrk "$api_url" 16 "$warmup" >/dev/null
  reset_state; run_wrk "$ref_url" 16 "$warmup" >/dev/null
fi

say "Measuring (${duration}s per level and server, mix: assign 40%, unassign 40%, close+$reopen_mode 20%)..."
for c in $levels; do
  measure api "$api_url" "$api_pid" "$c"
  measure ref "$ref_url" "$ref_pid" "$c"
done

# ---------------------------------------------------------------- round trips on the wire
# pg_stat_statements counts statements (BEGIN and COMMIT included); a round trip is a wait
# for the database, and Npgsql sends BEGIN in the same write as the next command and EF
# batches the UPDATE with the activity INSERT. So a short extra pass runs each server
# through a counting proxy that sees the real exchanges.
api_round_trips="not measured"; ref_round_trips="not measured"
if [ "$count_round_trips" = 1 ]; then
  say "Counting wire round trips per command (a ${warmup:-5}s pass per server at 1 connection through a counting proxy)..."
  proxy_port=$(free_port)
  dotnet "$counter_dll" --listen "$proxy_port" --target "127.0.0.1:$pg_port" --report "$work/proxy.txt" >"$work/proxy.log" 2>&1 &
  proxy_pid=$!
  pids+=("$proxy_pid")
  proxied="Host=127.0.0.1;Port=$proxy_port;Database=convor;Username=postgres"
  count_pass() { # $1 start function, $2 connection string → round trips per request
    local port url pid line before after
    port=$(free_port); url="http://127.0.0.1:$port"
    "$1" "$port" "$2" "$work/counted.log"; pid=$started_pid
    wait_ok_ms "$url/api/conversations/$first_conversation" "$(now_ms)" >/dev/null
    reset_state
    run_wrk "$url" 1 2 >/dev/null # warm the server's pool and caches outside the count
    reset_state
    before=$(cat "$work/proxy.txt")
    line=$(run_wrk "$url" 1 "${warmup:-5}")
    sleep 0.5
    after=$(cat "$work/proxy.txt")
    stop_pid "$pid"
    awk -v a="$after" -v b="$before" -v r="$(field requests "$line")" 'BEGIN { printf "%.2f", (a - b) / r }'
  }
  sleep 0.5
  api_round_trips=$(count_pass start_api "$proxied${BENCH_API_CONNECTION_EXTRA:-}")
  ref_round_trips=$(count_pass start_ref "$proxied$ref_tuning")
  stop_pid "$proxy_pid"
fi

# ---------------------------------------------------------------- revocation
say "Checking that a revoked key stops working within Auth:KeyCacheMilliseconds (500 ms; contract: 1 s)..."
key_json=$(admin keys create --org "$org_id")
second_key=$(json_field apiKey <<<"$key_json")
second_key_id=$(json_field keyId <<<"$key_json")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $second_key" "$api_url/api/conversations/$first_conversation")
[ "$code" = 200 ] || die "the new key answered $code"
admin keys revoke --key "$second_key_id" >/dev/null
revoked_at=$(now_ms)
revocation_ms=timeout
while [ $(( $(now_ms) - revoked_at )) -lt 15000 ]; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $second_key" "$api_url/api/conversations/$first_conversation")
  if [ "$code" = 401 ]; then revocation_ms=$(( $(now_ms) - revoked_at )); break; fi
  sleep 0.05
done

# ---------------------------------------------------------------- report
api_peak_mb=$(vm_hwm_mb "$api_pid")
ref_peak_mb=$(vm_hwm_mb "$ref_pid")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "MISSED" }'; }

mkdir -p "$here/results"
report="$here/results/latest.md"
{
  echo "# Convor bench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(sed -nE 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
    "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }'), .NET $(dotnet --version), wrk $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }')"
  echo "Load average (1/5/15 min) at start: $load_at_start; at end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine competes for the same 2 cores)"
  echo "Run: ${duration}s per level and server after a ${warmup}s warm-up; $conversation_count conversations, $operator_count operators;" \
    "mix assign 40% / unassign 40% / close+$reopen_mode 20%"
  [ "$reopen_mode" = reopen ] || echo "NOTE: the API has no reopen route, so the reopen slot was a GET for both servers: re-run once reopen is merged."
  echo
  echo "| conn | server | req/s | p50 ms | p99 ms | errors | statements/cmd | server CPU ms/req | PostgreSQL CPU ms/req | peak RSS MiB |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in $levels; do
    for s in api ref; do
      echo "| $c | $s | ${result[$s,$c,rps]} | ${result[$s,$c,p50]} | ${result[$s,$c,p99]} | ${result[$s,$c,errors]} | ${result[$s,$c,statements]} | ${result[$s,$c,cpu]} | ${result[$s,$c,pgcpu]} | ${result[$s,$c,mem]} |"
    done
  done
  echo
  echo "| conn | Convor/reference throughput | Convor/reference p99 |"
  echo "|---:|---:|---:|"
  for c in $levels; do
    echo "| $c | $(ratio "${result[api,$c,rps]}" "${result[ref,$c,rps]}") | $(ratio "${result[api,$c,p99]}" "${result[ref,$c,p99]}") |"
  done
  echo
  echo "Statements by kind (pg_stat_statements, whole run at each level):"
  for c in $levels; do
    echo "- c=$c api: ${result[api,$c,kinds]}"
    echo "- c=$c ref: ${result[ref,$c,kinds]}"
  done
  echo "Requests sent by kind at the last level: api ${result[api,${levels##* },mix]}; reference ${result[ref,${levels##* },mix]}"
  echo
  echo "Wire round trips per command (1 connection, through the counting proxy): api $api_round_trips, reference $ref_round_trips"
  echo "Startup to first 200 on an authenticated GET: api ${api_startup_ms} ms, reference ${ref_startup_ms} ms"
  echo "Revoked key refused after: ${revocation_ms} ms (cache: Auth:KeyCacheMilliseconds = 500)"
  echo "Peak memory (VmHWM) over the whole run: api ${api_peak_mb} MiB, reference ${ref_peak_mb} MiB"
  echo
  echo "Targets:"
  total_errors=0
  for c in $levels; do total_errors=$(( total_errors + ${result[api,$c,errors]} )); done
  for c in $levels; do
    if [ "$c" -ge 16 ]; then
      r=$(ratio "${result[api,$c,rps]}" "${result[ref,$c,rps]}")
      echo "- throughput at $c connections >= 0.7 of reference: $r -> $(verdict "$r" ">=" 0.7)"
    fi
  done
  if [ -n "${result[api,64,p99]:-}" ]; then
    r=$(ratio "${result[api,64,p99]}" "${result[ref,64,p99]}")
    echo "- p99 at 64 connections <= 1.5x reference: $r -> $(verdict "$r" "<=" 1.5)"
  fi
  if [ "$api_round_trips" != "not measured" ]; then
    echo "- round trips per command <= 2 (key lookup cached): $api_round_trips -> $(verdict "$api_round_trips" "<=" 2)"
  fi
  echo "- revocation effective within 1 s: ${revocation_ms} ms -> $( [ "$revocation_ms" != timeout ] && verdict "$revocation_ms" "<=" 1000 || echo MISSED)"
  echo "- zero errors: $total_errors -> $( [ "$total_errors" = 0 ] && echo met || echo MISSED)"
  echo "- startup to first successful request < 2 s: ${api_startup_ms} ms -> $(verdict "$api_startup_ms" "<=" 1999)"
} | tee "$report"
say "(report also written to ${report#"$root"/})"
