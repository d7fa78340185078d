#!/usr/bin/env bash
# Several instances as one API, measured in one run (see bench/README.md, "Several instances").
#
# On loopback only: a throwaway PostgreSQL cluster, a throwaway Redis, four API instances (the
# published Release build) and two HAProxy load balancers (deploy/haproxy.cfg.template), started
# with the pieces deploy/local-cluster.sh uses (deploy/cluster-lib.sh). The same command mix
# (bench/cluster_load.py: assign, unassign, PATCH priority, GET) is run against:
#
#   direct, no Redis      one instance without Redis (per-instance limiter), no load balancer
#   direct, Redis         one instance with Redis (the limiter asks Redis once per request)
#   HAProxy → 1, Redis    the same instance through HAProxy
#   HAProxy → 3, Redis    three instances (that one and two more) through HAProxy
#
# each BENCH_ROUNDS times, interleaved (every other round in reverse order), medians reported; then the failover run (three
# instances through HAProxy, one SIGKILLed mid-run); then, with BENCH_SOAK_SECONDS, a soak
# against the three; finally invariants checked with SQL in the throwaway database. Prints a
# markdown report and writes it to bench/results/cluster-latest.md. Not a test, not in .ci/run.
#
# Environment (all optional):
#   BENCH_DURATION=30          seconds per measured run
#   BENCH_WARMUP=10            unmeasured seconds per setup before the first round (JIT, pools)
#   BENCH_ROUNDS=3             measured runs per setup (interleaved; the table shows medians)
#   BENCH_WORKERS=8            client threads (each one request at a time)
#   BENCH_CONVERSATIONS=50     conversations each run creates and drives
#   BENCH_FAILOVER_SECONDS=30  length of the failover run; BENCH_KILL_AT=10: when the kill comes
#   BENCH_SOAK_SECONDS=0       > 0: also a soak of that many seconds against three instances
#   BENCH_COMMAND_TIMEOUT=5    Database:CommandTimeoutSeconds of the instances (with
#                              Database:MaxRetryCount=0 it sets the take-over time of a killed
#                              instance's claimed keys: 9 × this, ADR 0603)
#   BENCH_SKIP_BUILD=1         reuse the API published to bench/out/api by the last run
#   BENCH_KEEP_LOGS=1          keep the instances' logs (copied to /tmp/convor-cluster-bench-logs.*)
#   PG_BIN=/usr/lib/postgresql/15/bin
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
duration=${BENCH_DURATION:-30}
warmup=${BENCH_WARMUP:-10}
rounds=${BENCH_ROUNDS:-3}
workers=${BENCH_WORKERS:-8}
conversations=${BENCH_CONVERSATIONS:-50}
failover_seconds=${BENCH_FAILOVER_SECONDS:-30}
kill_at=${BENCH_KILL_AT:-10}
soak_seconds=${BENCH_SOAK_SECONDS:-0}
command_timeout=${BENCH_COMMAND_TIMEOUT:-5}
# Idempotency:InProgressTimeoutSeconds as the API derives it (ADR 0603) with MaxRetryCount=0:
# 4 concurrency attempts × 1 try × 2 statements × the command timeout, plus one command timeout.
takeover_seconds=$(( 9 * command_timeout ))

cl_name=cluster-bench
cl_app=$here/out/api
cl_work=$(mktemp -d /tmp/convor-cluster-bench.XXXXXX)
# shellcheck source=deploy/cluster-lib.sh
. "$root/deploy/cluster-lib.sh"
say() { cl_say "$@"; }
die() { cl_die "$@"; }

cleanup() {
  trap - EXIT
  if [ "${BENCH_KEEP_LOGS:-0}" = 1 ] && [ -d "$cl_work" ]; then
    local keep
    keep=$(mktemp -d /tmp/convor-cluster-bench-logs.XXXXXX)
    cp "$cl_work"/*.log "$cl_work"/*.out "$keep"/ 2>/dev/null || true
    say "logs kept in $keep"
  fi
  cl_stop_all
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites and build
command -v python3 >/dev/null || die "python3 is missing"
command -v curl >/dev/null || die "curl is missing"
cl_require_packages
command -v redis-cli >/dev/null || die "redis-cli is missing (Debian package redis-tools)"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # As bench/run.sh publishes it (the same folder): Release, ReadyToRun, framework-dependent.
  rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  say "Publishing the API (Release, ReadyToRun, $rid)..."
  cl_publish_api -r "$rid" --self-contained false -p:PublishReadyToRun=true
fi
[ -f "$cl_app/Convor.Api.dll" ] || die "published API missing in $cl_app (run without BENCH_SKIP_BUILD)"

load() { cut -d' ' -f1-3 /proc/loadavg; }
load1() { cut -d' ' -f1 /proc/loadavg; }
load_at_start=$(load)
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ---------------------------------------------------------------- PostgreSQL, Redis
pg_port=$(cl_free_port)
say "Starting PostgreSQL on 127.0.0.1:$pg_port and Redis..."
cl_start_postgres "$pg_port"
redis_port=$(cl_free_port)
cl_start_redis "$redis_port"
redis_pid=$cl_redis_pid
redis_configuration="127.0.0.1:$redis_port"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# Settings reach the instances as environment variables, as in deploy/local-cluster.sh. The rate
# limit is lifted far above what the client sends: the limiter still runs on every request (and
# asks Redis when configured: that is the cost measured), it just never answers 429.
export ASPNETCORE_ENVIRONMENT=Production
export Logging__LogLevel__Default=Warning
export Database__Provider=Postgres
export ConnectionStrings__Convor="$cl_connection"
export RateLimiting__PermitLimit=10000000
export Database__CommandTimeoutSeconds=$command_timeout
export Database__MaxRetryCount=0
# Webhooks, for the endpoint the failover organization subscribes (a closed loopback port).
Webhooks__SecretEncryptionKey=$(head -c 32 /dev/urandom | base64)
export Webhooks__SecretEncryptionKey
export Webhooks__AllowHttp=true
export Webhooks__AllowPrivateNetworks=true

json_field() { sed -nE "s/.*\"$1\":\"([^\"]*)\".*/\1/p"; }
say "Migrating and creating two organizations (admin command line)..."
org_json=$(dotnet "$cl_app/Convor.Api.dll" orgs create --name "Cluster Bench" 2>>"$cl_work/admin.log")
bench_key=$(json_field apiKey <<<"$org_json")
org_json=$(dotnet "$cl_app/Convor.Api.dll" orgs create --name "Cluster Failover" 2>>"$cl_work/admin.log")
failover_key=$(json_field apiKey <<<"$org_json")
failover_org=$(json_field orgId <<<"$org_json")
[ -n "$bench_key" ] && [ -n "$failover_key" ] && [ -n "$failover_org" ] || die "orgs create printed no key (see $cl_work/admin.log)"
export Database__MigrateOnStartup=false

# ---------------------------------------------------------------- instances and load balancers
port_a=$(cl_free_port); port_b=$(cl_free_port); port_c2=$(cl_free_port); port_c3=$(cl_free_port)
say "Starting four API instances (one without Redis) and two HAProxy..."
export Redis__Configuration=$redis_configuration
cl_start_api "$port_a"; pid_a=$cl_started_pid
cl_start_api "$port_c2"; pid_c2=$cl_started_pid
cl_start_api "$port_c3"; pid_c3=$cl_started_pid
unset Redis__Configuration
cl_start_api "$port_b"; pid_b=$cl_started_pid
export Redis__Configuration=$redis_configuration
lb1_port=$(cl_free_port); cl_start_haproxy "$lb1_port" "$port_a"; lb1_pid=$cl_lb_pid
lb3_port=$(cl_free_port); cl_start_haproxy "$lb3_port" "$port_a" "$port_c2" "$port_c3"; lb3_pid=$cl_lb_pid
for port in "$port_a" "$port_b" "$port_c2" "$port_c3" "$lb1_port" "$lb3_port"; do cl_wait_ready "http://127.0.0.1:$port"; done
# HAProxy marks a server up after two good checks: until then it may have fewer than three.
sleep 1.5

# The failover organization's endpoint, subscribed to every event before any conversation
# exists: every activity entry of that organization must then have exactly one outbox row.
hook_port=$(cl_free_port)
code=$(curl -s -o "$cl_work/endpoint.json" -w '%{http_code}' -X POST "http://127.0.0.1:$lb3_port/api/webhooks" \
  -H "Authorization: Bearer $failover_key" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$hook_port/hook\",\"events\":[\"*\"]}")
[ "$code" = 201 ] || die "subscribing the endpoint answered $code"

# ---------------------------------------------------------------- measuring helpers
clock_ticks=$(getconf CLK_TCK)
cpu_ms() { # user+system CPU of the processes given, ms (0 for one that is gone)
  local total=0 pid
  for pid in "$@"; do
    total=$(( total + $(awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
pg_cpu_ms() { # the whole PostgreSQL cluster: postmaster, its children, and the children that exited
  local postmaster total
  postmaster=$(head -n1 "$cl_work/pg/postmaster.pid")
  total=$(awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$postmaster/stat")
  # shellcheck disable=SC2046
  echo $(( total + $(cpu_ms $(pgrep -P "$postmaster")) ))
}
redis_limiter_calls() { # EVAL/EVALSHA calls so far (the limiter's counting script)
  redis-cli -p "$redis_port" info commandstats | tr -d '\r' |
    awk -F'[:=,]' '/^cmdstat_(eval|evalsha):/ { n += $3 } END { print n + 0 }'
}
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo gone; }
field() { sed -nE "s/.*(^| )$1=([^ ]+).*/\2/p" <<<"$2"; }
fieldor() { local v; v=$(field "$1" "$2"); echo "${v:-$3}"; } # $3 when the line has no such field
per_req() { awk -v a="$1" -v r="$2" 'BEGIN { if (r == 0) print "n/a"; else printf "%.2f", a / r }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

answers=$cl_work/answers.txt
: >"$answers"
run_mix() { # $1 name, $2 URL, $3 key, $4 seconds, more arguments for cluster_load.py → the RESULT line
  python3 "$here/cluster_load.py" "$2" "$3" --seconds "$4" --workers "$workers" --conversations "$conversations" \
    --give-up-after $(( takeover_seconds + 60 )) --answers "$answers" "${@:5}" >"$cl_work/$1.out" 2>&1 ||
    { cat "$cl_work/$1.out" >&2; die "cluster_load.py failed in $1"; }
  grep '^RESULT ' "$cl_work/$1.out"
}

setups=(direct-noredis direct-redis lb1 lb3)
declare -A title url api_pids lb_pid
title[direct-noredis]="1 instance, direct, no Redis";  url[direct-noredis]=http://127.0.0.1:$port_b;   api_pids[direct-noredis]=$pid_b; lb_pid[direct-noredis]=""
title[direct-redis]="1 instance, direct, Redis";       url[direct-redis]=http://127.0.0.1:$port_a;     api_pids[direct-redis]=$pid_a;   lb_pid[direct-redis]=""
title[lb1]="1 instance through HAProxy, Redis";        url[lb1]=http://127.0.0.1:$lb1_port;            api_pids[lb1]=$pid_a;            lb_pid[lb1]=$lb1_pid
title[lb3]="3 instances through HAProxy, Redis";       url[lb3]=http://127.0.0.1:$lb3_port;            api_pids[lb3]="$pid_a $pid_c2 $pid_c3"; lb_pid[lb3]=$lb3_pid

declare -A runs # runs[setup,metric] = space-separated values, one per round
measure() { # $1 setup, $2 round
  local s=$1 line requests api0 pg0 lb0 redis0 calls0 load_before
  load_before=$(load1)
  # shellcheck disable=SC2086
  api0=$(cpu_ms ${api_pids[$s]}); pg0=$(pg_cpu_ms); lb0=$(cpu_ms ${lb_pid[$s]}); redis0=$(cpu_ms "$redis_pid"); calls0=$(redis_limiter_calls)
  line=$(run_mix "$s-$2" "${url[$s]}" "$bench_key" "$duration")
  requests=$(field requests "$line")
  # shellcheck disable=SC2086
  runs[$s,api_cpu]+=" $(per_req $(( $(cpu_ms ${api_pids[$s]}) - api0 )) "$requests")"
  runs[$s,pg_cpu]+=" $(per_req $(( $(pg_cpu_ms) - pg0 )) "$requests")"
  # shellcheck disable=SC2086
  runs[$s,lb_cpu]+=" $( [ -n "${lb_pid[$s]}" ] && per_req $(( $(cpu_ms ${lb_pid[$s]}) - lb0 )) "$requests" || echo 0)"
  runs[$s,redis_cpu]+=" $(per_req $(( $(cpu_ms "$redis_pid") - redis0 )) "$requests")"
  runs[$s,redis_calls]+=" $(per_req $(( $(redis_limiter_calls) - calls0 )) "$requests")"
  runs[$s,client_cpu]+=" $(per_req "$(field client_cpu_ms "$line")" "$requests")"
  runs[$s,rps]+=" $(field rps "$line")"
  runs[$s,p50]+=" $(field p50 "$line")"
  runs[$s,p99]+=" $(field p99 "$line")"
  runs[$s,failures]+=" $(( $(field failed_attempts "$line") + $(field not_succeeded "$line") ))"
  runs[$s,load]+=" $load_before"
  say "  round $2, ${title[$s]}: $(field rps "$line") req/s, p50 $(field p50 "$line") ms, p99 $(field p99 "$line") ms," \
    "failed attempts $(field failed_attempts "$line"), not succeeded $(field not_succeeded "$line") (load $load_before)"
}
med() { median <<<"${runs[$1,$2]}"; }
spread() { # "median (min–max)" over the rounds, or the value alone after one round
  local values=${runs[$1,$2]}
  if [ "$rounds" -le 1 ]; then med "$1" "$2"; return; fi
  local sorted
  sorted=$(tr ' ' '\n' <<<"$values" | grep -v '^$' | sort -g)
  echo "$(med "$1" "$2") ($(head -n1 <<<"$sorted")–$(tail -n1 <<<"$sorted"))"
}
total() { tr ' ' '\n' | awk '{ n += $1 } END { print n + 0 }' <<<"${runs[$1,$2]}"; }

# ---------------------------------------------------------------- the four setups
if [ "$warmup" -gt 0 ]; then
  say "Warming up each setup (${warmup}s each, not measured)..."
  for s in "${setups[@]}"; do run_mix "warmup-$s" "${url[$s]}" "$bench_key" "$warmup" >/dev/null; done
fi
say "Measuring ${#setups[@]} setups, $rounds round(s) of ${duration}s, $workers workers..."
# Odd rounds in the order above, even rounds reversed, so that a drift (the tables grow, other
# work on the machine comes and goes) does not always favour the same setup.
for round in $(seq 1 "$rounds"); do
  order=("${setups[@]}")
  [ $((round % 2)) = 1 ] || order=("${setups[3]}" "${setups[2]}" "${setups[1]}" "${setups[0]}")
  for s in "${order[@]}"; do measure "$s" "$round"; done
done

# ---------------------------------------------------------------- failover
say "Failover: ${failover_seconds}s through HAProxy to three instances, one SIGKILLed at ${kill_at}s..."
failover_load=$(load1)
failover_line=$(run_mix failover "http://127.0.0.1:$lb3_port" "$failover_key" "$failover_seconds" --kill-pid "$pid_c2" --kill-at "$kill_at")
wait "$pid_c2" 2>/dev/null || true
say "  $(grep -E '^(failed|killed|answers|requests)' "$cl_work/failover.out" | tr '\n' ' ')"
say "Restarting the killed instance on its port (HAProxy takes it back after two good checks)..."
cl_start_api "$port_c2"; pid_c2=$cl_started_pid
cl_wait_ready "http://127.0.0.1:$port_c2"
sleep 1.5

# ---------------------------------------------------------------- soak
soak_line=""
if [ "$soak_seconds" -gt 0 ]; then
  say "Soak: warm-up ${warmup}s, then ${soak_seconds}s through HAProxy to three instances..."
  [ "$warmup" -gt 0 ] && run_mix soak-warmup "http://127.0.0.1:$lb3_port" "$failover_key" "$warmup" >/dev/null
  soak_pids=("$pid_a" "$pid_c2" "$pid_c3")
  soak_rss_before=(); for pid in "${soak_pids[@]}"; do soak_rss_before+=("$(rss_mb "$pid")"); done
  soak_load_before=$(load)
  soak_line=$(run_mix soak "http://127.0.0.1:$lb3_port" "$failover_key" "$soak_seconds")
  soak_rss_after=(); for pid in "${soak_pids[@]}"; do soak_rss_after+=("$(rss_mb "$pid")"); done
  soak_load_after=$(load)
  say "  $(head -n2 "$cl_work/soak.out" | tr '\n' ' ')"
fi

# ---------------------------------------------------------------- invariants, in SQL
say "Checking the invariants in the database..."
# Let the instances finish what they hold (a retried command's recorded answer), then read.
sleep 1
invariants=$({
  echo "CREATE TEMP TABLE answers (conversation uuid, version bigint);"
  echo "\\copy answers FROM '$answers' WITH (FORMAT text, DELIMITER ' ')"
  cat "$here/cluster-invariants.sql"
} | cl_psql convor -v org="$failover_org")
inv() { sed -nE "s/^$1=(.*)/\1/p" <<<"$invariants"; }

# ---------------------------------------------------------------- report
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f", a - b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
ok() { [ "$1" = 0 ] && echo "0 ✓" || echo "**$1**"; }
mkdir -p "$here/results"
report=$here/results/cluster-latest.md
{
  echo "# Convor cluster bench, $started_at"
  echo
  echo "Machine: $(nproc) cores, $(sed -nE 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
    "PostgreSQL $("$cl_pg_bin/postgres" --version | awk '{ print $3 }'), Redis $(redis-server --version | sed -nE 's/.*v=([^ ]+).*/\1/p'), $("$cl_haproxy" -v | head -n1 | awk '{ print "HAProxy " $3 }'), .NET $(dotnet --list-runtimes | awk '/AspNetCore/ { v = $2 } END { print v }') (Release, ReadyToRun), all on loopback."
  echo "Load average (1/5/15 min) at start: $load_at_start; at end: $(load). Another process on the same cores shows up in every figure."
  echo "Each setup: $rounds round(s) of ${duration}s after a ${warmup}s warm-up, interleaved (every other round reversed); medians, with (min–max) over the rounds. Client: bench/cluster_load.py, $workers workers, $conversations conversations per run;" \
    "mix assign / unassign / PATCH priority / GET, a quarter each, every command with its own Idempotency-Key. Rate limit lifted (10,000,000 per window): the limiter runs on every request, never refuses."
  echo
  echo "| setup | req/s | p50 ms | p99 ms | failures | API CPU ms/req | PostgreSQL CPU ms/req | HAProxy CPU ms/req | Redis CPU ms/req | limiter calls to Redis /req | client CPU ms/req | load (1 min) before each round |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for s in "${setups[@]}"; do
    echo "| ${title[$s]} | $(spread "$s" rps) | $(spread "$s" p50) | $(spread "$s" p99) | $(total "$s" failures) | $(med "$s" api_cpu) | $(med "$s" pg_cpu) | $(med "$s" lb_cpu) | $(med "$s" redis_cpu) | $(med "$s" redis_calls) | $(med "$s" client_cpu) |${runs[$s,load]} |"
  done
  echo
  echo "| figure | from | value |"
  echo "|---|---|---:|"
  echo "| Redis limiter, added latency p50 / p99 | direct Redis − direct no Redis | $(delta "$(med direct-redis p50)" "$(med direct-noredis p50)") / $(delta "$(med direct-redis p99)" "$(med direct-noredis p99)") ms |"
  echo "| Redis limiter, throughput | direct Redis ÷ direct no Redis | $(ratio "$(med direct-redis rps)" "$(med direct-noredis rps)") |"
  echo "| load balancer, added latency p50 / p99 | HAProxy → 1 − direct Redis | $(delta "$(med lb1 p50)" "$(med direct-redis p50)") / $(delta "$(med lb1 p99)" "$(med direct-redis p99)") ms |"
  echo "| load balancer, throughput | HAProxy → 1 ÷ direct Redis | $(ratio "$(med lb1 rps)" "$(med direct-redis rps)") |"
  echo "| three instances vs one, throughput | HAProxy → 3 ÷ HAProxy → 1 | $(ratio "$(med lb3 rps)" "$(med lb1 rps)") |"
  echo "| three instances vs one, p50 / p99 | HAProxy → 3 − HAProxy → 1 | $(delta "$(med lb3 p50)" "$(med lb1 p50)") / $(delta "$(med lb3 p99)" "$(med lb1 p99)") ms |"
  echo
  echo "Failover (${failover_seconds}s, three instances through HAProxy, one SIGKILLed at ${kill_at}s; load (1 min) before: $failover_load):"
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| requests answered, throughput | $(field requests "$failover_line") in $(field elapsed_s "$failover_line") s, $(field rps "$failover_line")/s |"
  echo "| p50 / p99 / max latency (retries included) | $(field p50 "$failover_line") / $(field p99 "$failover_line") / $(field max "$failover_line") ms |"
  echo "| failed attempts (connection reset, 502/503/504), retried with the same key | $(field failed_attempts "$failover_line") in $(fieldor requests_with_failures "$failover_line" 0) requests |"
  echo "| window of the failed attempts | t = $(fieldor first_failure_s "$failover_line" –) – $(fieldor last_failure_s "$failover_line" –) s ($(fieldor failure_window_s "$failover_line" 0) s; killed at t = $(field killed_at_s "$failover_line") s) |"
  echo "| requests whose key the dead instance held (answered 409 idempotency_in_progress, asked again every 0.5 s until taken over after ${takeover_seconds} s) | $(field requests_waiting_takeover "$failover_line") ($(field in_progress_answers "$failover_line") answers) |"
  echo "| last request with a failed attempt answered | t = $(fieldor last_affected_answered_s "$failover_line" –) s (longest such request $(fieldor longest_affected_s "$failover_line" –) s) |"
  echo "| requests whose final answer was not 2xx | $(ok "$(field not_succeeded "$failover_line")") |"
  if [ -n "$soak_line" ]; then
    echo
    echo "Soak (${soak_seconds}s, three instances through HAProxy; load average before: $soak_load_before, after: $soak_load_after):"
    echo
    echo "| figure | value |"
    echo "|---|---:|"
    echo "| requests answered, throughput | $(field requests "$soak_line") in $(field elapsed_s "$soak_line") s, $(field rps "$soak_line")/s |"
    echo "| p50 / p99 / max latency | $(field p50 "$soak_line") / $(field p99 "$soak_line") / $(field max "$soak_line") ms |"
    echo "| failed attempts / final answers not 2xx | $(field failed_attempts "$soak_line") / $(field not_succeeded "$soak_line") |"
    for i in 0 1 2; do
      echo "| RSS of instance $((i + 1)) after warm-up → at the end | ${soak_rss_before[$i]} → ${soak_rss_after[$i]} MiB |"
    done
  fi
  echo
  echo "Invariants afterwards (SQL on the throwaway database, every run above included):"
  echo
  echo "| invariant | violations |"
  echo "|---|---:|"
  echo "| version = number of activity entries, numbered 1..n ($(inv conversations) conversations, $(inv entries) entries) | $(ok "$(inv version_mismatches)") |"
  echo "| each entry's \"before\" is what the entries before it left (assignee, priority, status; $(inv field_changes) changes) | $(ok "$(inv chain_breaks)") |"
  echo "| the conversation is what its last entry says (assignee, priority, status) | $(ok "$(inv state_mismatches)") |"
  echo "| one outbox row per activity entry of the subscribed organization ($(inv outbox_entries) entries): missing / twice / without entry | $(inv outbox_missing) / $(inv outbox_duplicates) / $(inv outbox_strays) |"
  echo "| versions no command answer names (a command applied twice; known gap ADR 0300, at most the requests with a failed attempt: $(fieldor requests_with_failures "$failover_line" 0)) | $(inv unanswered_versions) |"
} | tee "$report"
say "(report also written to ${report#"$root"/})"
