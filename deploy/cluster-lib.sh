# Pieces of a local Convor cluster on loopback, sourced by deploy/local-cluster.sh and
# bench/cluster.sh: prerequisites, the published API, a throwaway PostgreSQL cluster, a
# throwaway Redis, API instances, HAProxy (deploy/haproxy.cfg.template), and stopping all of it.
# Not a script of its own.
#
# The caller sets, before calling anything:
#   cl_work   a fresh temporary directory (mktemp -d); cl_stop_all deletes it
#   cl_app    the directory of the published API (Convor.Api.dll)
# and calls cl_stop_all from its EXIT trap. Every process started here is remembered in
# cl_api_pids / cl_other_pids and stopped by cl_stop_all; the PostgreSQL cluster too.

cl_api_pids=()
cl_other_pids=()
cl_pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
cl_pg_started=0
cl_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cl_say() { printf '%s\n' "$*" >&2; }
cl_die() { cl_say "${cl_name:-cluster}: $*"; exit 1; }

# Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
cl_as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A TCP port on 127.0.0.1 that nothing listens on now.
cl_free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  cl_die "no free port"
}

# PostgreSQL, redis-server and haproxy from Debian packages, installed when missing and root.
cl_require_packages() {
  local missing=()
  [ -x "${cl_pg_bin:-/nonexistent}/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || cl_die "missing: ${missing[*]} (apt-get install -y --no-install-recommends ${missing[*]})"
    cl_say "Installing ${missing[*]} (apt)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
    cl_pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  cl_haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
}

# dotnet publish of the API into $cl_app (Release); extra arguments are passed on.
cl_publish_api() {
  dotnet publish "$cl_here/../src/Convor.Api/Convor.Api.csproj" -c Release -o "$cl_app" -nologo -v q -clp:ErrorsOnly "$@" >&2
}

# A throwaway PostgreSQL cluster in $cl_work/pg on 127.0.0.1:$1 with a random password, and the
# database "convor". Sets cl_connection (the API's connection string) and cl_pg_port; psql
# without a password through the socket in $cl_work: cl_psql.
cl_start_postgres() {
  cl_pg_port=$1
  local password
  password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  mkdir -p "$cl_work/pg"
  printf '%s' "$password" >"$cl_work/pwfile"
  [ "$(id -u)" = 0 ] && chown -R postgres "$cl_work"
  cl_as_pg "$cl_pg_bin/initdb" -D "$cl_work/pg" -U postgres --pwfile="$cl_work/pwfile" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C --no-sync >/dev/null
  rm -f "$cl_work/pwfile"
  cl_as_pg "$cl_pg_bin/pg_ctl" start -D "$cl_work/pg" -l "$cl_work/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $cl_pg_port -k $cl_work -c max_connections=300" >/dev/null
  cl_pg_started=1
  cl_psql postgres -c "CREATE DATABASE convor"
  cl_connection="Host=127.0.0.1;Port=$cl_pg_port;Database=convor;Username=postgres;Password=$password"
}

# psql as postgres over the cluster's socket: cl_psql DATABASE [psql arguments...]
cl_psql() {
  local db=$1; shift
  cl_as_pg "$cl_pg_bin/psql" -h "$cl_work" -p "$cl_pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -Atq "$@"
}

# A throwaway redis-server on 127.0.0.1:$1, nothing persisted. Sets cl_redis_pid.
cl_start_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --dir "$cl_work" \
    --daemonize no --loglevel warning >"$cl_work/redis-$1.log" 2>&1 &
  cl_redis_pid=$!
  cl_other_pids+=("$cl_redis_pid")
}

# One API instance on 127.0.0.1:$1, logging to $cl_work/api-$1.log, with the exported
# environment. Sets cl_started_pid (the dotnet process itself: a SIGKILL kills the instance).
cl_start_api() {
  dotnet "$cl_app/Convor.Api.dll" --urls "http://127.0.0.1:$1" >>"$cl_work/api-$1.log" 2>&1 &
  cl_started_pid=$!
  cl_api_pids+=("$cl_started_pid")
}

# HAProxy on 127.0.0.1:$1 in front of the instances on the ports that follow, configured from
# deploy/haproxy.cfg.template. Sets cl_lb_pid.
cl_start_haproxy() {
  local lb_port=$1 servers="" i=1 port
  shift
  for port in "$@"; do servers+="    server api$i 127.0.0.1:$port check"$'\n'; i=$((i + 1)); done
  LB_PORT=$lb_port SERVERS=$servers awk \
    '{ gsub(/\{\{PORT\}\}/, ENVIRON["LB_PORT"]); if ($0 == "{{SERVERS}}") printf "%s", ENVIRON["SERVERS"]; else print }' \
    "$cl_here/haproxy.cfg.template" >"$cl_work/haproxy-$lb_port.cfg"
  "$cl_haproxy" -db -f "$cl_work/haproxy-$lb_port.cfg" >"$cl_work/haproxy-$lb_port.log" 2>&1 &
  cl_lb_pid=$!
  cl_other_pids+=("$cl_lb_pid")
}

# Waits until $1/health/ready answers 200 (60 s at most).
cl_wait_ready() {
  local _
  for _ in $(seq 1 120); do
    curl -fsS "$1/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cl_die "$1 did not become ready; logs in $cl_work"
}

# Stops one API instance as an orchestrator would (SIGTERM, then waits for it to exit).
cl_stop_api() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Stops everything started here (API instances first, SIGTERM: they finish what they hold; then
# the load balancers and Redis; then PostgreSQL) and deletes $cl_work. Safe to call twice.
cl_stop_all() {
  local pid
  for pid in "${cl_api_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${cl_api_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for pid in "${cl_other_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  cl_api_pids=(); cl_other_pids=()
  if [ "$cl_pg_started" = 1 ]; then
    cl_as_pg "$cl_pg_bin/pg_ctl" stop -D "$cl_work/pg" -m fast -w >/dev/null 2>&1 || true
    cl_pg_started=0
  fi
  if [ -n "${cl_work:-}" ] && [ -d "$cl_work" ]; then rm -rf "$cl_work"; fi
}
