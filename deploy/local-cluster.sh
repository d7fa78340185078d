#!/usr/bin/env bash
# A local cluster of the production shape, on loopback only: PostgreSQL, Redis, three API
# instances and HAProxy in front of them (health checks on /health/ready). Prints the URL and
# an API key, then runs until Ctrl-C, which stops everything it started and deletes its files.
# See docs/deployment.md.
#
# Needs the Debian packages postgresql, redis-server and haproxy (installed when run as root
# and missing) and the .NET SDK. Environment (all optional):
#   CLUSTER_PORT=8080            the load balancer's port
#   CLUSTER_API_PORTS="5081 5082 5083"
#   CLUSTER_PG_PORT=55432  CLUSTER_REDIS_PORT=56379
#   CLUSTER_SKIP_BUILD=1         reuse the API published by the last run (deploy/out/)
#   PG_BIN=/usr/lib/postgresql/15/bin
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
lb_port=${CLUSTER_PORT:-8080}
read -r -a api_ports <<<"${CLUSTER_API_PORTS:-5081 5082 5083}"
pg_port=${CLUSTER_PG_PORT:-55432}
redis_port=${CLUSTER_REDIS_PORT:-56379}
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
app=$here/out/api
work=$(mktemp -d /tmp/convor-cluster.XXXXXX)
api_pids=()
lb_pid=""
redis_pid=""

say() { printf '%s\n' "$*" >&2; }
die() { say "local-cluster: $*"; exit 1; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_all() {
  trap - INT TERM EXIT
  say "Stopping..."
  # API instances first (SIGTERM: they finish what they hold), then the balancer and stores.
  for pid in "${api_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${api_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for pid in $lb_pid $redis_pid; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -f "$work/pg/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" stop -D "$work/pg" -m fast -w >/dev/null 2>&1 || true
  rm -rf "$work"
  say "Stopped."
}
trap stop_all INT TERM EXIT

# ---------------------------------------------------------------- prerequisites
missing=()
[ -x "${pg_bin:-/nonexistent}/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing: ${missing[*]} (apt-get install -y --no-install-recommends ${missing[*]})"
  say "Installing ${missing[*]} (apt)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)

if [ "${CLUSTER_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$app/Convor.Api.dll" ]; then
  say "Publishing the API (Release)..."
  dotnet publish "$root/src/Convor.Api" -c Release -o "$app" -nologo -v q -clp:ErrorsOnly >&2
fi

# ---------------------------------------------------------------- PostgreSQL
say "Starting PostgreSQL on 127.0.0.1:$pg_port..."
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$work/pg"
printf '%s' "$password" >"$work/pwfile"
[ "$(id -u)" = 0 ] && chown -R postgres "$work"
as_pg "$pg_bin/initdb" -D "$work/pg" -U postgres --pwfile="$work/pwfile" --auth-host=scram-sha-256 \
  --auth-local=trust -E UTF8 --locale=C --no-sync >/dev/null
rm -f "$work/pwfile"
as_pg "$pg_bin/pg_ctl" start -D "$work/pg" -l "$work/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work -c max_connections=300" >/dev/null
as_pg "$pg_bin/psql" -h "$work" -p "$pg_port" -U postgres -qc "CREATE DATABASE convor" >/dev/null
connection="Host=127.0.0.1;Port=$pg_port;Database=convor;Username=postgres;Password=$password"

# ---------------------------------------------------------------- Redis
say "Starting Redis on 127.0.0.1:$redis_port..."
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  --daemonize no --loglevel warning >"$work/redis.log" 2>&1 &
redis_pid=$!

# Secrets and settings reach the instances as environment variables, never on a command line.
export Database__Provider=Postgres
export ConnectionStrings__Convor="$connection"
export Redis__Configuration="127.0.0.1:$redis_port"
export ASPNETCORE_ENVIRONMENT=Production

# ---------------------------------------------------------------- migrations, out of band
say "Migrating and creating an organization (admin command line)..."
org=$(dotnet "$app/Convor.Api.dll" orgs create --name "Local Cluster")
api_key=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' <<<"$org")

# ---------------------------------------------------------------- API instances
export Database__MigrateOnStartup=false
for port in "${api_ports[@]}"; do
  say "Starting an API instance on 127.0.0.1:$port..."
  dotnet "$app/Convor.Api.dll" --urls "http://127.0.0.1:$port" >"$work/api-$port.log" 2>&1 &
  api_pids+=($!)
done

# ---------------------------------------------------------------- HAProxy
servers=""
i=1
for port in "${api_ports[@]}"; do servers+="    server api$i 127.0.0.1:$port check"$'\n'; i=$((i + 1)); done
LB_PORT=$lb_port SERVERS=$servers awk \
  '{ gsub(/\{\{PORT\}\}/, ENVIRON["LB_PORT"]); if ($0 == "{{SERVERS}}") printf "%s", ENVIRON["SERVERS"]; else print }' \
  "$here/haproxy.cfg.template" >"$work/haproxy.cfg"
"$haproxy" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
lb_pid=$!

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$lb_port/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$lb_port/health/ready" >/dev/null || die "the cluster did not become ready; logs in $work"

cat <<INFO

Convor cluster ready (3 instances behind HAProxy, PostgreSQL, Redis; logs in $work)
  URL:     http://127.0.0.1:$lb_port
  API key: $api_key

  curl -s -X POST http://127.0.0.1:$lb_port/api/conversations -H "Authorization: Bearer $api_key" \\
    -H 'Content-Type: application/json' -d '{"channel":"widget"}'

Ctrl-C stops everything.
INFO
wait
