#!/usr/bin/env bash
# A CPU profile of the API under the bench's request mix (see bench/README.md, "CPU profile").
#
# Same setup as run.sh (bench/lib.sh: throwaway PostgreSQL 15, the API published Release +
# ReadyToRun, data seeded through the API, one webhook endpoint subscribed to * delivering to
# a loopback receiver), then, with wrk driving bench/mix.lua at PROFILE_CONNECTIONS:
#   1. dotnet-counters (a local tool, bench/dotnet-tools.json) for PROFILE_COUNTER_SECONDS:
#      CPU, allocation rate, GC counts and pause time, and the server-side request duration
#      per route (Microsoft.AspNetCore.Hosting);
#   2. dotnet-trace (local tool) with the sampled thread-time profile for PROFILE_SECONDS,
#      converted to speedscope JSON and aggregated by bench/profile_report.py into the top
#      methods per layer (inclusive and exclusive), on-CPU stacks only.
# The report is printed and written to bench/results/profile.md; the raw trace is kept in
# bench/results/ (not committed) for PerfView or speedscope.app.
#
# Environment (all optional):
#   PROFILE_SECONDS=30           trace length
#   PROFILE_COUNTER_SECONDS=15   counters length (before the trace; 0 = none)
#   PROFILE_CONNECTIONS=16       wrk connections
#   PROFILE_TOP=8                methods per layer in the report
#   BENCH_WEBHOOK=1              1: endpoint subscribed (the full write path); 0: none
#   BENCH_READS=30, BENCH_WARMUP=10, BENCH_CONVERSATIONS=10000, BENCH_OPERATORS=20,
#   BENCH_SKIP_BUILD=1, BENCH_KEEP_LOGS=1, BENCH_API_CONNECTION_EXTRA, PG_BIN   (as run.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench_name=profile
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

trace_seconds=${PROFILE_SECONDS:-30}
counter_seconds=${PROFILE_COUNTER_SECONDS:-15}
connections=${PROFILE_CONNECTIONS:-16}
top=${PROFILE_TOP:-8}
webhook=${BENCH_WEBHOOK:-1}
warmup=${BENCH_WARMUP:-10}
export BENCH_READS=${BENCH_READS:-30}
[ "$webhook" = 0 ] || [ "$webhook" = 1 ] || die "BENCH_WEBHOOK is 0 or 1 here"

mix_require_wrk
command -v python3 >/dev/null || die "python3 is missing"
say "Restoring the local tools (dotnet-trace, dotnet-counters: bench/dotnet-tools.json)..."
(cd "$here" && dotnet tool restore >/dev/null) || die "dotnet tool restore failed"
tool() { (cd "$here" && dotnet tool run "$@"); }
span() { printf '00:%02d:%02d:%02d' $(( $1 / 3600 )) $(( $1 / 60 % 60 )) $(( $1 % 60 )); } # dd:hh:mm:ss

mix_publish api receiver
bench_workspace convor-profile
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
mix_database
start_receiver
mix_seed

api_port=$(free_port)
api_url="http://127.0.0.1:$api_port"
start_api "$api_port" "$api_connection" "$work/api.log"
api_pid=$started_pid
wait_ok_ms "$api_url/api/conversations/$first_conversation" "$(now_ms)" >/dev/null
if [ "$webhook" = 1 ]; then endpoint_active "$api_url" true; else endpoint_active "$api_url" false; fi
variant=$([ "$webhook" = 1 ] && echo "one endpoint subscribed to *" || echo "no endpoint subscribed")

say "Warming up (${warmup}s at $connections connections)..."
reset_state
run_wrk "$api_url" "$connections" "$warmup" >/dev/null
reset_state

mkdir -p "$here/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
trace="$here/results/profile-$stamp.nettrace"
load_total=$(( counter_seconds + trace_seconds + 6 ))

# One wrk run covers both collections; its figures (and the process's CPU from /proc) give
# the CPU per request that the profile is a breakdown of.
say "Load: ${load_total}s of the mix at $connections connections ($variant, ${BENCH_READS}% reads)..."
cpu_before=$(cpu_ms "$api_pid")
run_wrk "$api_url" "$connections" "$load_total" >"$work/wrk.line" &
wrk_pid=$!
bench_track "$wrk_pid"
sleep 2

counters_note="not collected"
if [ "$counter_seconds" -gt 0 ]; then
  say "dotnet-counters for ${counter_seconds}s..."
  tool dotnet-counters collect -p "$api_pid" --refresh-interval 1 --format csv -o "$work/counters.csv" \
    --duration "$(span "$counter_seconds")" --maxHistograms 50 \
    --counters "System.Runtime,Microsoft.AspNetCore.Hosting[http.server.request.duration]" >"$work/counters.log" 2>&1 \
    || say "  dotnet-counters failed (see $work/counters.log with BENCH_KEEP_LOGS=1)"
fi

say "dotnet-trace (sampled thread time) for ${trace_seconds}s..."
tool dotnet-trace collect -p "$api_pid" --profile dotnet-sampled-thread-time -o "$trace" \
  --duration "$(span "$trace_seconds")" >"$work/trace.log" 2>&1 || { cat "$work/trace.log" >&2; die "dotnet-trace failed"; }
wait "$wrk_pid" || true
cpu_ms_used=$(( $(cpu_ms "$api_pid") - cpu_before ))
line=$(cat "$work/wrk.line")
field() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<<" $2"; }
requests=$(field requests "$line")
rps=$(awk -v r="$requests" -v d="$(field duration_us "$line")" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
cpu_per_request=$(awk -v c="$cpu_ms_used" -v r="$requests" 'BEGIN { printf "%.2f", c / r }')

say "Converting to speedscope and aggregating..."
tool dotnet-trace convert --format Speedscope -o "${trace%.nettrace}" "$trace" >"$work/convert.log" 2>&1 \
  || { cat "$work/convert.log" >&2; die "dotnet-trace convert failed"; }

[ ! -f "$work/counters.csv" ] || counters_note=$(python3 "$here/profile_report.py" counters "$work/counters.csv" --requests-per-second "$rps" 2>&1 || true)
report="$here/results/profile.md"
{
  echo "# CPU profile of the API under the bench mix, $(date -u +%Y-%m-%dT%H:%M:%SZ) ($(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo ?) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?))"
  echo
  echo "Machine: $(nproc) cores, load average at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg)." \
    "Mix: ${BENCH_READS}% reads, $variant, $connections connections; ${BENCH_CONVERSATIONS:-10000} conversations."
  echo "Under load: $rps req/s, API CPU $cpu_per_request ms/request (/proc, whole load window incl. the tools' overhead)."
  echo
  echo "Counters (dotnet-counters, ${counter_seconds}s):"
  echo
  echo "$counters_note"
  echo
  python3 "$here/profile_report.py" stacks "${trace%.nettrace}.speedscope.json" --top "$top" --cpu-ms-per-request "$cpu_per_request"
} | tee "$report"
say "(report also written to ${report#"$root"/}; trace: ${trace#"$root"/})"
