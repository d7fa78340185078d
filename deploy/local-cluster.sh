#!/usr/bin/env bash
# A local cluster of the production shape, on loopback only: PostgreSQL, Redis, three API
# instances and HAProxy in front of them (health checks on /health/ready). Prints the URL and
# an API key, then runs until Ctrl-C, which stops everything it started and deletes its files.
# See docs/deployment.md. bench/cluster.sh measures the same shape (deploy/cluster-lib.sh holds
# the pieces both use).
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
cl_name=local-cluster
cl_app=$here/out/api
cl_work=$(mktemp -d /tmp/convor-cluster.XXXXXX)
# shellcheck source=deploy/cluster-lib.sh
. "$here/cluster-lib.sh"

lb_port=${CLUSTER_PORT:-8080}
read -r -a api_ports <<<"${CLUSTER_API_PORTS:-5081 5082 5083}"
pg_port=${CLUSTER_PG_PORT:-55432}
redis_port=${CLUSTER_REDIS_PORT:-56379}

stop_all() {
  trap - INT TERM EXIT
  cl_say "Stopping..."
  cl_stop_all
  cl_say "Stopped."
}
trap stop_all INT TERM EXIT

cl_require_packages
if [ "${CLUSTER_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cl_app/Convor.Api.dll" ]; then
  cl_say "Publishing the API (Release)..."
  cl_publish_api
fi

cl_say "Starting PostgreSQL on 127.0.0.1:$pg_port..."
cl_start_postgres "$pg_port"
cl_say "Starting Redis on 127.0.0.1:$redis_port..."
cl_start_redis "$redis_port"

# Secrets and settings reach the instances as environment variables, never on a command line.
export Database__Provider=Postgres
export ConnectionStrings__Convor="$cl_connection"
export Redis__Configuration="127.0.0.1:$redis_port"
export ASPNETCORE_ENVIRONMENT=Production

# Migrations, out of band.
cl_say "Migrating and creating an organization (admin command line)..."
org=$(dotnet "$cl_app/Convor.Api.dll" orgs create --name "Local Cluster")
api_key=$(sed -E 's/.*"apiKey":"([^"]+)".*/\1/' <<<"$org")

export Database__MigrateOnStartup=false
for port in "${api_ports[@]}"; do
  cl_say "Starting an API instance on 127.0.0.1:$port..."
  cl_start_api "$port"
done
cl_start_haproxy "$lb_port" "${api_ports[@]}"
cl_wait_ready "http://127.0.0.1:$lb_port"

cat <<INFO

Convor cluster ready (${#api_ports[@]} instance(s) behind HAProxy, PostgreSQL, Redis; logs in $cl_work)
  URL:     http://127.0.0.1:$lb_port
  API key: $api_key

  curl -s -X POST http://127.0.0.1:$lb_port/api/conversations -H "Authorization: Bearer $api_key" \\
    -H 'Content-Type: application/json' -d '{"channel":"widget"}'

Ctrl-C stops everything.
INFO
wait
