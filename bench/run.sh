#!/usr/bin/env bash
# Convor API against its physical limit, in one run (see bench/README.md).
#
# Starts a throwaway PostgreSQL 15 cluster, the API (Release) and the reference server
# (bench/Convor.Bench.Reference: each command or read one SQL statement, outbox rows
# included) on the same database, and a loopback webhook receiver; seeds an organization,
# operators, conversations and one webhook endpoint subscribed to "*" through the API; then
# drives the same request mix (bench/mix.lua: 70% commands, 30% reads) with wrk at each
# connection level against both, with the endpoint off and on, and prints throughput,
# latency (all, reads, writes), errors, CPU and memory, statements and round trips per
# request, outbox rows written and delivered, startup time and the Convor/reference ratios.
# Everything it starts is stopped on exit.
#
# Environment (all optional):
#   BENCH_DURATION=15        seconds per level, variant and server
#   BENCH_WARMUP=5           seconds of unmeasured load per server before each variant
#   BENCH_LEVELS="1 16 64"   wrk connection counts ("" = none, e.g. for a soak alone)
#   BENCH_WEBHOOK=both       both | 0 (no endpoint subscribed) | 1 (one endpoint subscribed to *)
#   BENCH_READS=30           percent of requests that are reads (0: the command mix of before)
#   BENCH_CONVERSATIONS=10000, BENCH_OPERATORS=20
#   BENCH_ROUND_TRIPS=1      also count wire round trips per request (mix, writes, reads)
#   BENCH_SOAK_SECONDS=0     >0: then a soak of the API alone at BENCH_SOAK_CONNECTIONS (64)
#                            after BENCH_SOAK_WARMUP (30) s: RSS after warm-up, at the end, peak
#   BENCH_CPU_BASELINE_MS=   API CPU ms/request at 16 connections before issue 16 (for a verdict)
#   BENCH_SKIP_BUILD=1       reuse the servers published by the last run (bench/out/)
#   BENCH_KEEP_LOGS=1        keep the servers' and PostgreSQL's logs (in /tmp/convor-bench.*)
#   BENCH_API_CONNECTION_EXTRA=";Key=Value"   appended to the API's connection string
#   BENCH_API_ENV="VAR=value ..."             extra environment of the API process only (runtime knobs)
#   BENCH_KIND_LATENCY=1     latency per kind of request (mix.lua; 0 = off)
#   PG_BIN=/usr/lib/postgresql/15/bin
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench_name=bench
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

duration=${BENCH_DURATION:-15}
warmup=${BENCH_WARMUP:-5}
levels=${BENCH_LEVELS-"1 16 64"}
webhook_mode=${BENCH_WEBHOOK:-both}
count_round_trips=${BENCH_ROUND_TRIPS:-1}
soak_seconds=${BENCH_SOAK_SECONDS:-0}
soak_connections=${BENCH_SOAK_CONNECTIONS:-64}
soak_warmup=${BENCH_SOAK_WARMUP:-30}
export BENCH_READS=${BENCH_READS:-30}
case $webhook_mode in
  0) variants="none" ;;
  1) variants="webhook" ;;
  both) variants="none webhook" ;;
  *) die "BENCH_WEBHOOK is 0, 1 or both" ;;
esac
last_variant=${variants##* }

# ---------------------------------------------------------------- prerequisites and setup
mix_require_wrk
mix_publish api reference wire-counter receiver
bench_workspace convor-bench
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
mix_database
start_receiver
mix_seed

# ---------------------------------------------------------------- timed starts
say "Starting the API (timed: process start to first 200 on an authenticated GET)..."
api_port=$(free_port)
api_url="http://127.0.0.1:$api_port"
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

probe=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$(auth_header)" "$api_url/api/conversations/$first_conversation/reopen")
[ "$probe" = 200 ] || die "POST …/reopen answered $probe: the mix needs reopen"

# ---------------------------------------------------------------- same answers to the same reads
# The reference's reads must be the API's: the same bytes (and ETag) for the reads of the mix.
reset_state
same_reads=0; different_reads=()
for path in "/api/conversations/$first_conversation" \
            "/api/conversations?status=open&priority=high&limit=20" \
            "/api/conversations?status=open&priority=urgent&limit=20" \
            "/api/conversations?priority=low&limit=3" \
            "/api/conversations?status=closed&limit=5"; do
  curl -s -D "$work/api.h" -o "$work/api.b" -H "$(auth_header)" "$api_url$path"
  curl -s -D "$work/ref.h" -o "$work/ref.b" -H "$(auth_header)" "$ref_url$path"
  if cmp -s "$work/api.b" "$work/ref.b" && [ "$(grep -i '^etag' "$work/api.h" || true)" = "$(grep -i '^etag' "$work/ref.h" || true)" ]; then
    same_reads=$(( same_reads + 1 ))
  else
    different_reads+=("$path")
    cp "$work/api.b" "$work/different-api-$same_reads-${#different_reads[@]}.json"
    cp "$work/ref.b" "$work/different-ref-$same_reads-${#different_reads[@]}.json"
  fi
done
reads_check="$same_reads of $(( same_reads + ${#different_reads[@]} )) reads answered byte for byte alike (body and ETag)"
[ ${#different_reads[@]} -eq 0 ] || reads_check="$reads_check; DIFFERENT: ${different_reads[*]} (BENCH_KEEP_LOGS=1 keeps both answers)"
say "  $reads_check"

# ---------------------------------------------------------------- the same outbox row for the same command
# One assign through each server with the endpoint on, then the two payloads side by side.
payload_check="not checked (no endpoint subscribed in this run)"
if [[ " $variants " == *" webhook "* ]]; then
  endpoint_active "$api_url" true
  reset_state
  operator=$(head -n1 "$work/operators.txt")
  second=$(sed -n 2p "$work/conversations.txt")
  curl -s -o /dev/null -X POST -H "$(auth_header)" -H 'Content-Type: application/json' -d "{\"operatorId\":\"$operator\"}" "$api_url/api/conversations/$first_conversation/assign"
  curl -s -o /dev/null -X POST -H "$(auth_header)" -H 'Content-Type: application/json' -d "{\"operatorId\":\"$operator\"}" "$ref_url/api/conversations/$second/assign"
  psql_db convor -c "SELECT \"Payload\" FROM webhook_deliveries WHERE \"EventId\" IN (SELECT \"Id\" FROM conversation_events WHERE \"ConversationId\" = '$first_conversation')" >"$work/payload-api.json"
  psql_db convor -c "SELECT \"Payload\" FROM webhook_deliveries WHERE \"EventId\" IN (SELECT \"Id\" FROM conversation_events WHERE \"ConversationId\" = '$second')" >"$work/payload-ref.json"
  payload_check=$(python3 - "$work/payload-api.json" "$work/payload-ref.json" <<'PY'
import json, sys
# Same keys in the same order at every level, same JSON types, and the same values where the
# two events must agree (everything but ids, times and the conversation's own fields).
def shape(value, path=""):
    if isinstance(value, dict):
        out = [(path, "object", list(value))]
        for k, v in value.items(): out += shape(v, path + "." + k)
        return out
    return [(path, type(value).__name__, None)]
texts = [open(p).read().strip() for p in sys.argv[1:3]]
if not all(texts): print("MISSING: an outbox row was not written (api %d bytes, reference %d bytes)" % tuple(map(len, texts))); sys.exit()
a, b = (json.loads(t) for t in texts)
# The entry's data is the activity row's text: jsonb in the reference (keys in jsonb's order),
# so it is compared as a value, not by key order.
entry_a, entry_b = a["data"]["entry"].pop("data"), b["data"]["entry"].pop("data")
problems = [f"{p}: {x} vs {y}" for (p, x, kx), (_, y, ky) in zip(shape(a), shape(b)) if (x, kx) != (y, ky)]
if len(shape(a)) != len(shape(b)): problems.append("different number of fields")
if entry_a != entry_b: problems.append(f"data.entry.data: {entry_a} vs {entry_b}")
for path in [("type",), ("data", "entry", "type"), ("data", "entry", "actor"), ("data", "version"),
             ("data", "conversation", "assignedOperatorId"), ("data", "conversation", "status"), ("data", "conversation", "aiActive")]:
    va, vb = a, b
    for k in path: va, vb = va[k], vb[k]
    if va != vb: problems.append(".".join(path) + f": {va!r} vs {vb!r}")
print(("same keys in the same order, same types and values (the entry's data compared as a value); text %d vs %d bytes (spacing)" % (len(texts[0]), len(texts[1])))
      if not problems else "DIFFERENT: " + "; ".join(problems))
PY
)
  say "  outbox payload, API vs reference: $payload_check"
fi

# ---------------------------------------------------------------- measured runs
field() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<" $2"; }
kind_field() { # $1 kind, $2 index (1 count, 2 p50 µs, 3 p99 µs, 4 failed), $3 line
  sed -nE "s/.* kind_$1=([0-9,]+).*/\1/p" <<<" $3" | cut -d, -f"$2"
}
ms() { awk -v v="$1" 'BEGIN { if (v == "") print "n/a"; else printf "%.2f", v / 1000 }'; }
per() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

statements_per_kind() { # "SELECT=… UPDATE=… …" for the convor database since the last reset
  psql_db postgres -F= -c "
    SELECT upper(split_part(ltrim(query, ' ('), ' ', 1)), sum(calls)
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'convor')
    GROUP BY 1 ORDER BY 2 DESC" | tr '\n' ' '
}
statements_total() {
  psql_db postgres -c "
    SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'convor')"
}

# After a truncated outbox the API's dispatcher may still be sending the batch it claimed
# (up to Webhooks:BatchSize, one after another): wait until the receiver has been quiet for a
# second (10 s at most), so that none of it lands in the next run, then reset the counters.
quiesce() {
  local last now deadline=$(( $(now_ms) + 10000 ))
  last=$(receiver_count)
  while [ "$(now_ms)" -lt "$deadline" ]; do
    sleep 1
    now=$(receiver_count)
    [ "$now" != "$last" ] || break
    last=$now
  done
  psql_db postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
}

declare -A result
measure() { # $1 variant, $2 server (api|ref), $3 url, $4 pid, $5 connections
  local variant=$1 server=$2 url=$3 pid=$4 c=$5
  local k="$variant,$server,$c"
  reset_state
  quiesce
  local line server_cpu_before pg_cpu_before receiver_cpu_before received_before
  received_before=$(receiver_count); receiver_cpu_before=$(cpu_ms "$receiver_pid")
  server_cpu_before=$(cpu_ms "$pid"); pg_cpu_before=$(pg_cpu_ms)
  line=$(run_wrk "$url" "$c" "$duration")
  local server_cpu=$(( $(cpu_ms "$pid") - server_cpu_before )) pg_cpu=$(( $(pg_cpu_ms) - pg_cpu_before ))
  local receiver_cpu=$(( $(cpu_ms "$receiver_pid") - receiver_cpu_before ))
  local requests errors seconds
  requests=$(field requests "$line")
  seconds=$(awk -v d="$(field duration_us "$line")" 'BEGIN { print d / 1e6 }')
  errors=$(( $(field non2xx "$line") + $(field connect_errors "$line") + $(field read_errors "$line") + $(field write_errors "$line") + $(field timeouts "$line") ))
  result[$k,rps]=$(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
  result[$k,p50]=$(ms "$(field p50_us "$line")")
  result[$k,p99]=$(ms "$(field p99_us "$line")")
  result[$k,errors]=$errors
  result[$k,requests]=$requests
  result[$k,statements]=$(per "$(statements_total)" "$requests")
  result[$k,kinds]=$(statements_per_kind)
  result[$k,mem]=$(vm_hwm_mb "$pid")
  result[$k,cpu]=$(per "$server_cpu" "$requests")
  result[$k,pgcpu]=$(per "$pg_cpu" "$requests")
  result[$k,mix]=$(sed -nE 's/.*(sent_assign=[0-9]+ .*sent_list=[0-9]+).*/\1/p' <<<"$line")
  local kind
  for kind in reads writes assign unassign close reopen get list; do
    result[$k,$kind]="$(kind_field "$kind" 1 "$line") · $(ms "$(kind_field "$kind" 2 "$line")") / $(ms "$(kind_field "$kind" 3 "$line")") · $(kind_field "$kind" 4 "$line")"
    result[$k,${kind}_p99]=$(ms "$(kind_field "$kind" 3 "$line")")
  done
  result[$k,read_share]=$(awk -v r="$(kind_field reads 1 "$line")" -v w="$(kind_field writes 1 "$line")" 'BEGIN { if (r + w == 0) print "n/a"; else printf "%.0f%%", 100 * r / (r + w) }')
  # The outbox: rows the run wrote, and (API) how many its dispatcher delivered during it.
  result[$k,written]=$(psql_db convor -c "SELECT count(*) FROM webhook_deliveries")
  result[$k,delivered]=$(psql_db convor -c "SELECT count(*) FROM webhook_deliveries WHERE \"Status\" = 'Succeeded'")
  result[$k,received]=$(( $(receiver_count) - received_before ))
  result[$k,receiver_cpu]=$(per "$receiver_cpu" "$requests")
  result[$k,outbox_per_s]=$(awk -v n="${result[$k,written]}" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  result[$k,delivered_per_s]=$(awk -v n="${result[$k,delivered]}" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  say "  $variant $server c=$c: ${result[$k,rps]} req/s, p50 ${result[$k,p50]} ms, p99 ${result[$k,p99]} ms (reads p99 ${result[$k,reads_p99]}, writes p99 ${result[$k,writes_p99]}), errors $errors," \
      "statements/req ${result[$k,statements]}, CPU ms/req server ${result[$k,cpu]} + PostgreSQL ${result[$k,pgcpu]}, outbox rows ${result[$k,written]} (delivered ${result[$k,delivered]})"
}

for variant in $variants; do
  if [ -n "$endpoint_id" ]; then
    if [ "$variant" = webhook ]; then endpoint_active "$api_url" true; else endpoint_active "$api_url" false; fi
  fi
  if [ "$warmup" -gt 0 ]; then
    say "Warming up both servers, endpoint $variant (${warmup}s each at 16 connections, not measured)..."
    reset_state; run_wrk "$api_url" 16 "$warmup" >/dev/null
    reset_state; run_wrk "$ref_url" 16 "$warmup" >/dev/null
  fi
  say "Measuring, endpoint $variant (${duration}s per level and server; ${BENCH_READS}% reads)..."
  for c in $levels; do
    measure "$variant" api "$api_url" "$api_pid" "$c"
    measure "$variant" ref "$ref_url" "$ref_pid" "$c"
  done
done

# ---------------------------------------------------------------- round trips on the wire
# pg_stat_statements counts statements (BEGIN and COMMIT included); a round trip is a wait
# for the database, and Npgsql sends BEGIN in the same write as the next command and EF
# batches the UPDATE with the activity INSERT (and the outbox rows). So short extra passes
# run each server through a counting relay that sees the real exchanges: the whole mix,
# writes only, reads only, at 1 connection, with the last variant's endpoint setting. The
# API runs with its webhook dispatcher off there, so that only requests are counted.
declare -A round_trips idle_round_trips
if [ "$count_round_trips" = 1 ]; then
  rt_seconds=${warmup:-5}; [ "$rt_seconds" -gt 0 ] || rt_seconds=5
  say "Counting wire round trips per request (${rt_seconds}s passes at 1 connection through a counting relay; endpoint $last_variant)..."
  proxy_port=$(free_port)
  dotnet "$counter_dll" --listen "$proxy_port" --target "127.0.0.1:$pg_port" --report "$work/proxy.txt" >"$work/proxy.log" 2>&1 &
  proxy_pid=$!
  bench_track "$proxy_pid"
  proxied="Host=127.0.0.1;Port=$proxy_port;Database=convor;Username=postgres"
  count_passes() { # $1 api|ref
    local port url pid only line before after
    port=$(free_port); url="http://127.0.0.1:$port"
    if [ "$1" = api ]; then
      start_api "$port" "$proxied${BENCH_API_CONNECTION_EXTRA:-}" "$work/counted.log" Webhooks__DispatcherEnabled=false
    else
      start_ref "$port" "$proxied$ref_tuning" "$work/counted.log"
    fi
    pid=$started_pid
    wait_ok_ms "$url/api/conversations/$first_conversation" "$(now_ms)" >/dev/null
    run_wrk "$url" 1 2 >/dev/null # pool and caches warm, outside the count
    # The server's own background round trips (key and subscription caches, the API's routing
    # drain and snooze sweep) over a pass's length with no load, reported beside the passes:
    # they are inside each pass's count, which matters only when a pass completes few requests
    # (as on a loaded machine). Not subtracted: measured idle right after the warm-up they
    # came out too high for the reference to be a fair correction.
    before=$(cat "$work/proxy.txt")
    sleep "$rt_seconds"; sleep 0.5
    after=$(cat "$work/proxy.txt")
    local idle=$(( after - before ))
    idle_round_trips[$1]=$idle
    for only in mix writes reads assign close get list; do
      reset_state
      sleep 0.3
      before=$(cat "$work/proxy.txt")
      line=$(run_wrk "$url" 1 "$rt_seconds" BENCH_ONLY="${only/mix/}")
      sleep 0.5
      after=$(cat "$work/proxy.txt")
      echo "$1 $only round_trips=$(( after - before )) $line" >>"$work/round-trips.txt"
      round_trips[$1,$only]=$(per "$(( after - before ))" "$(field requests "$line")")
      [ "$(field requests "$line")" -ge 100 ] || round_trips[$1,$only]="${round_trips[$1,$only]} (only $(field requests "$line") requests: unreliable)"
      local failed=$(( $(field non2xx "$line") + $(field timeouts "$line") + $(field read_errors "$line") ))
      [ "$failed" = 0 ] || round_trips[$1,$only]="${round_trips[$1,$only]} ($failed of $(field requests "$line") failed)"
    done
    stop_pid "$pid"
  }
  sleep 0.5
  count_passes api
  count_passes ref
  stop_pid "$proxy_pid"
fi
rt() { echo "${round_trips[$1,$2]:-not measured}"; }

# ---------------------------------------------------------------- memory soak (API alone)
soak_report=""
if [ "$soak_seconds" -gt 0 ]; then
  if [ -n "$endpoint_id" ]; then
    if [ "$last_variant" = webhook ]; then endpoint_active "$api_url" true; else endpoint_active "$api_url" false; fi
  fi
  say "Soak: the API alone at $soak_connections connections, ${soak_warmup}s warm-up then ${soak_seconds}s (endpoint $last_variant)..."
  reset_state
  run_wrk "$api_url" "$soak_connections" "$soak_warmup" >/dev/null
  rss_warm=$(vm_rss_mb "$api_pid"); hwm_warm=$(vm_hwm_mb "$api_pid")
  ( while sleep 10; do echo "$(vm_rss_mb "$api_pid")"; done ) >"$work/soak-rss.txt" 2>/dev/null &
  sampler_pid=$!
  bench_track "$sampler_pid"
  soak_line=$(run_wrk "$api_url" "$soak_connections" "$soak_seconds")
  rss_end=$(vm_rss_mb "$api_pid"); hwm_end=$(vm_hwm_mb "$api_pid")
  stop_pid "$sampler_pid"
  rss_samples=$(paste -sd' ' "$work/soak-rss.txt")
  soak_errors=$(( $(field non2xx "$soak_line") + $(field connect_errors "$soak_line") + $(field read_errors "$soak_line") + $(field write_errors "$soak_line") + $(field timeouts "$soak_line") ))
  soak_rps=$(awk -v r="$(field requests "$soak_line")" -v d="$(field duration_us "$soak_line")" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  soak_growth=$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { printf "%+.1f%%", 100 * (b - a) / a }')
  soak_verdict=$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { print (b <= 1.1 * a) ? "met" : "MISSED" }')
  soak_outbox=$(psql_db convor -c "SELECT count(*) || ' outbox rows, ' || count(*) FILTER (WHERE \"Status\" = 'Succeeded') || ' delivered' FROM webhook_deliveries")
  soak_report="Soak (API alone, $soak_connections connections, ${soak_seconds}s after ${soak_warmup}s warm-up, endpoint $last_variant): $soak_rps req/s, errors $soak_errors, $soak_outbox.
RSS after warm-up ${rss_warm} MiB, at the end ${rss_end} MiB ($soak_growth); peak (VmHWM) ${hwm_warm} MiB after warm-up, ${hwm_end} MiB at the end.
RSS every 10 s (MiB): $rss_samples
- no memory growth (RSS at the end within 10% of RSS after warm-up): $soak_growth -> $soak_verdict"
  say "  RSS after warm-up ${rss_warm} MiB, end ${rss_end} MiB ($soak_growth), peak ${hwm_end} MiB -> $soak_verdict"
fi

# ---------------------------------------------------------------- revocation
revocation_ms=timeout
if [ -n "$levels" ] || [ "$soak_seconds" -gt 0 ]; then
  say "Checking that a revoked key stops working within Auth:KeyCacheMilliseconds (500 ms; contract: 1 s)..."
  key_json=$(admin keys create --org "$org_id")
  second_key=$(json_field apiKey <<<"$key_json")
  second_key_id=$(json_field keyId <<<"$key_json")
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $second_key" "$api_url/api/conversations/$first_conversation")
  [ "$code" = 200 ] || die "the new key answered $code"
  admin keys revoke --key "$second_key_id" >/dev/null
  revoked_at=$(now_ms)
  while [ $(( $(now_ms) - revoked_at )) -lt 15000 ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $second_key" "$api_url/api/conversations/$first_conversation")
    if [ "$code" = 401 ]; then revocation_ms=$(( $(now_ms) - revoked_at )); break; fi
    sleep 0.05
  done
fi

# ---------------------------------------------------------------- report
api_peak_mb=$(vm_hwm_mb "$api_pid")
ref_peak_mb=$(vm_hwm_mb "$ref_pid")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "n/a" || b == "n/a" || a == "" || b == "") print "n/a"; else printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "n/a" || v == "") { print "n/a"; exit } ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "MISSED" }'; }

mkdir -p "$here/results"
report="$here/results/latest.md"
{
  echo "# Convor bench $(date -u +%Y-%m-%dT%H:%M:%SZ) ($(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo ?) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?))"
  echo
  echo "Machine: $(nproc) cores, $(sed -nE 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
    "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }'), .NET $(dotnet --version), wrk $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }')"
  echo "Load average (1/5/15 min) at start: $load_at_start; at end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine competes for the same 2 cores)"
  echo "Run: ${duration}s per level, variant and server after a ${warmup}s warm-up; ${BENCH_CONVERSATIONS:-10000} conversations, ${BENCH_OPERATORS:-20} operators;" \
    "mix: ${BENCH_READS}% reads (GET by id 2/3, list page 1/3), the rest commands (assign 40% / unassign 40% / close+reopen 20%);" \
    "endpoint variants: $variants (none = no endpoint subscribed; webhook = one enabled endpoint subscribed to *, delivering to a loopback receiver that answers 204)"
  echo "Reads: $reads_check. Outbox payload: $payload_check."
  echo
  echo "| endpoint | conn | server | req/s | p50 ms | p99 ms | errors | statements/req | server CPU ms/req | PostgreSQL CPU ms/req | peak RSS MiB |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for v in $variants; do for c in $levels; do for s in api ref; do
    k="$v,$s,$c"
    echo "| $v | $c | $s | ${result[$k,rps]} | ${result[$k,p50]} | ${result[$k,p99]} | ${result[$k,errors]} | ${result[$k,statements]} | ${result[$k,cpu]} | ${result[$k,pgcpu]} | ${result[$k,mem]} |"
  done; done; done
  echo
  echo "| endpoint | conn | Convor/reference throughput | p99 | p99 of reads | p99 of writes |"
  echo "|---|---:|---:|---:|---:|---:|"
  for v in $variants; do for c in $levels; do
    a="$v,api,$c"; r="$v,ref,$c"
    echo "| $v | $c | $(ratio "${result[$a,rps]}" "${result[$r,rps]}") | $(ratio "${result[$a,p99]}" "${result[$r,p99]}") | $(ratio "${result[$a,reads_p99]}" "${result[$r,reads_p99]}") | $(ratio "${result[$a,writes_p99]}" "${result[$r,writes_p99]}") |"
  done; done
  echo
  echo "Per kind (client side, from mix.lua): answers · p50 / p99 ms · non-2xx answers"
  echo
  echo "| endpoint | conn | server | read share | reads | writes | assign | unassign | close | reopen | get | list |"
  echo "|---|---:|---|---:|---|---|---|---|---|---|---|---|"
  for v in $variants; do for c in $levels; do for s in api ref; do
    k="$v,$s,$c"
    echo "| $v | $c | $s | ${result[$k,read_share]} | ${result[$k,reads]} | ${result[$k,writes]} | ${result[$k,assign]} | ${result[$k,unassign]} | ${result[$k,close]} | ${result[$k,reopen]} | ${result[$k,get]} | ${result[$k,list]} |"
  done; done; done
  if [[ " $variants " == *" webhook "* ]]; then
    echo
    echo "Outbox (endpoint subscribed): rows written by the run; the API's dispatcher delivers during the run (its CPU is in the API's figure), the reference writes the same rows and delivers none."
    echo
    echo "| conn | server | outbox rows | rows/s | delivered during the run | delivered/s | receiver got | receiver CPU ms/req |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|"
    for c in $levels; do for s in api ref; do
      k="webhook,$s,$c"
      echo "| $c | $s | ${result[$k,written]} | ${result[$k,outbox_per_s]} | ${result[$k,delivered]} | ${result[$k,delivered_per_s]} | ${result[$k,received]} | ${result[$k,receiver_cpu]} |"
    done; done
  fi
  echo
  echo "Statements by kind (pg_stat_statements, whole run at each level):"
  for v in $variants; do for c in $levels; do for s in api ref; do
    echo "- $v c=$c $s: ${result[$v,$s,$c,kinds]}"
  done; done; done
  if [ -n "$levels" ]; then
    echo "Requests sent by kind at the last level ($last_variant): api ${result[$last_variant,api,${levels##* },mix]}; reference ${result[$last_variant,ref,${levels##* },mix]}"
  fi
  echo
  echo "Wire round trips per request (1 connection, counting relay, endpoint $last_variant, API dispatcher off), api / reference;" \
    "each pass includes the server's background round trips (idle over a pass's length: api ${idle_round_trips[api]:-?}, reference ${idle_round_trips[ref]:-?}):"
  echo
  echo "| pass | api | reference |"
  echo "|---|---:|---:|"
  for only in mix writes reads assign close get list; do
    case $only in
      mix) label="the whole mix" ;; writes) label="commands only (the mix's commands)" ;; reads) label="reads only (the mix's reads)" ;;
      assign) label="assign/unassign" ;; close) label="close/reopen" ;; get) label="GET by id" ;; list) label="list page" ;;
    esac
    echo "| $label | $(rt api "$only") | $(rt ref "$only") |"
  done
  echo
  echo "Startup to first 200 on an authenticated GET: api ${api_startup_ms} ms, reference ${ref_startup_ms} ms"
  echo "Revoked key refused after: ${revocation_ms} ms (cache: Auth:KeyCacheMilliseconds = 500)"
  echo "Peak memory (VmHWM) over the whole run: api ${api_peak_mb} MiB, reference ${ref_peak_mb} MiB"
  [ -z "$soak_report" ] || { echo; echo "$soak_report"; }
  echo
  echo "Targets (issue 16):"
  total_errors=0
  for v in $variants; do for c in $levels; do total_errors=$(( total_errors + ${result[$v,api,$c,errors]} + ${result[$v,ref,$c,errors]} )); done; done
  for v in $variants; do for c in $levels; do
    if [ "$c" -ge 16 ]; then
      r=$(ratio "${result[$v,api,$c,rps]}" "${result[$v,ref,$c,rps]}")
      echo "- throughput at $c connections (endpoint $v) >= 0.6 of reference: $r -> $(verdict "$r" ">=" 0.6)"
      r=$(ratio "${result[$v,api,$c,p99]}" "${result[$v,ref,$c,p99]}")
      echo "- p99 at $c connections (endpoint $v) <= 2x reference: $r -> $(verdict "$r" "<=" 2)"
    fi
  done; done
  if [ -n "${round_trips[api,writes]:-}" ]; then
    echo "- round trips per command <= 2 (key cached, endpoint $last_variant): $(rt api writes) -> $(verdict "$(rt api writes)" "<=" 2)"
  fi
  for v in $variants; do
    if [ -n "${result[$v,api,16,cpu]:-}" ]; then
      if [ -n "${BENCH_CPU_BASELINE_MS:-}" ]; then
        t=$(awk -v b="$BENCH_CPU_BASELINE_MS" 'BEGIN { printf "%.3f", b / 2 }')
        echo "- API CPU per request at 16 connections (endpoint $v) <= half of $BENCH_CPU_BASELINE_MS ms: ${result[$v,api,16,cpu]} -> $(verdict "${result[$v,api,16,cpu]}" "<=" "$t")"
      else
        echo "- API CPU per request at 16 connections (endpoint $v): ${result[$v,api,16,cpu]} ms (BENCH_CPU_BASELINE_MS= gives a verdict against half of the before figure)"
      fi
    fi
  done
  for v in $variants; do for c in $levels; do
    echo "- reads >= 30% of requests (endpoint $v, c=$c, api): ${result[$v,api,$c,read_share]}"
    break
  done; done
  echo "- revocation effective within 1 s: ${revocation_ms} ms -> $( [ "$revocation_ms" != timeout ] && verdict "$revocation_ms" "<=" 1000 || echo MISSED)"
  echo "- zero errors: $total_errors -> $( [ "$total_errors" = 0 ] && echo met || echo MISSED)"
  echo "- startup to first successful request < 2 s: ${api_startup_ms} ms -> $(verdict "$api_startup_ms" "<=" 1999)"
} | tee "$report"
say "(report also written to ${report#"$root"/})"
