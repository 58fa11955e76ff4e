#!/usr/bin/env bash
# Three MessagingServer nodes on this machine, in one cluster, on one PostgreSQL journal.
#
#   scripts/cluster-local.sh                    # PostgreSQL from ConnectionStrings__Messaging
#   scripts/cluster-local.sh --with-postgres    # a throwaway PostgreSQL from this machine's initdb/pg_ctl
#   scripts/cluster-local.sh --check            # start, wait until all three are ready, print it, stop
#
# Node N (1..3) serves HTTP on http://127.0.0.1:808N and Akka.Remote on 127.0.0.1:405(N+2);
# nodes 1 and 2 are the seeds. Logs go to .cluster-local/<time>/ (or --logs DIR). Ctrl+C stops the
# nodes one at a time (3, 2, then 1: stopping all at once can time out the last one's leave), then
# the throwaway PostgreSQL if it started one. Walk-through: docs/cluster.md.
#
# Options:
#   --with-postgres     start a throwaway PostgreSQL (data removed at the end, its log kept)
#   --check             stop as soon as all three nodes are ready (exit 0), or fail (exit 1)
#   --logs DIR          where the logs go
#   --ready-timeout S   seconds to wait for all three nodes to be ready (default 120)
# Environment: anything the server reads (e.g. Sms__Loopback__AutoReply=true) reaches every node.
# ASPNETCORE_ENVIRONMENT defaults to Development (the built-in signing key, so `dotnet run
# --project src/MessagingServer -- token alice` mints tokens every node accepts); with any other
# environment set Auth__SigningKey.
# Build first: dotnet build src/MessagingServer -c Release (the script builds it when it is missing).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$REPO/src/MessagingServer/bin/Release/net10.0"
DLL="$BIN/MessagingServer.dll"
NODES=3
HTTP_BASE=8080   # node N: 8080+N
REMOTE_BASE=4052 # node N: 4052+N
SEEDS=("akka.tcp://messaging@127.0.0.1:4053" "akka.tcp://messaging@127.0.0.1:4054")
STOP_TIMEOUT=30

with_postgres=false
check_only=false
ready_timeout=120
logs="$REPO/.cluster-local/$(date -u +%Y%m%d-%H%M%S)"

while [ $# -gt 0 ]; do
  case "$1" in
    --with-postgres) with_postgres=true ;;
    --check) check_only=true ;;
    --logs) logs="${2:?--logs needs a folder}"; shift ;;
    --ready-timeout) ready_timeout="${2:?--ready-timeout needs seconds}"; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "cluster-local: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf 'cluster-local: %s\n' "$*"; }
fail() { printf 'cluster-local: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null || fail "dotnet is not on PATH"
command -v curl >/dev/null || fail "curl is not on PATH (it checks the nodes' readiness)"

if ! $with_postgres && [ -z "${ConnectionStrings__Messaging:-}" ]; then
  fail "set ConnectionStrings__Messaging to a PostgreSQL database the three nodes share, or pass --with-postgres"
fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for n in 1 2 3; do
  for port in $((HTTP_BASE + n)) $((REMOTE_BASE + n)); do
    if listening "$port"; then fail "port $port on 127.0.0.1 is already in use (another run of this script?)"; fi
  done
done

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
if [ "$ASPNETCORE_ENVIRONMENT" != "Development" ] && [ -z "${Auth__SigningKey:-}" ]; then
  fail "ASPNETCORE_ENVIRONMENT=$ASPNETCORE_ENVIRONMENT needs Auth__SigningKey (openssl rand -base64 48), the same for every node"
fi

if [ ! -f "$DLL" ]; then
  say "building the server (dotnet build src/MessagingServer -c Release)"
  dotnet build "$REPO/src/MessagingServer" -c Release -nologo -v quiet
fi

mkdir -p "$logs"
logs="$(cd "$logs" && pwd)"

# --- PostgreSQL -------------------------------------------------------------------------------
pg_root=""
pg_bin=""
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_pg_binaries() {
  local dir
  for dir in $(printf '%s' "$PATH" | tr ':' ' ') $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then printf '%s' "$dir"; return 0; fi
  done
  return 1
}

stop_postgres() {
  if [ -n "$pg_root" ] && [ -d "$pg_root/data" ]; then
    say "stopping PostgreSQL"
    as_pg_user "$pg_bin/pg_ctl" -D "$pg_root/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    cp "$pg_root/postgres.log" "$logs/postgres.log" 2>/dev/null || true
    rm -rf "$pg_root"
  fi
}

start_postgres() {
  pg_bin="$(find_pg_binaries)" || fail "--with-postgres: initdb and pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin"
  pg_root="$(mktemp -d "${TMPDIR:-/tmp}/cluster-local-postgres.XXXXXX")"
  mkdir -p "$pg_root/socket"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || fail "--with-postgres as root needs the 'postgres' OS user (initdb refuses root)"
    chmod 755 "$pg_root"
    chown -R postgres:postgres "$pg_root"
  fi
  local port=55432
  while listening "$port"; do
    port=$((port + 1))
    [ "$port" -lt 55532 ] || fail "no free port for PostgreSQL in 55432-55531"
  done
  say "starting a throwaway PostgreSQL on 127.0.0.1:$port ($pg_root)"
  as_pg_user "$pg_bin/initdb" -D "$pg_root/data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
    >"$logs/initdb.log" 2>&1 || fail "initdb failed, see $logs/initdb.log"
  as_pg_user "$pg_bin/pg_ctl" -D "$pg_root/data" -l "$pg_root/postgres.log" \
    -o "-p $port -k $pg_root/socket -c listen_addresses=127.0.0.1 -c max_connections=200" -w -t 60 start \
    >"$logs/pg_ctl.log" 2>&1 || { cat "$pg_root/postgres.log" >&2 2>/dev/null; fail "PostgreSQL did not start, see $logs/pg_ctl.log"; }
  # The server creates its tables on first use; the throwaway server's own database will do.
  export ConnectionStrings__Messaging="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

# --- Nodes ------------------------------------------------------------------------------------
pids=()
stopping=false

stop_all() {
  $stopping && return
  stopping=true
  local i n pid waited started
  # Last started first; node 1 (the first seed) last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    n=$((i + 1)); pid="${pids[$i]}"
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping node $n (pid $pid): leaves the cluster, hands its shards off"
      kill -TERM "$pid" 2>/dev/null || true
      started=$SECONDS
      waited=0
      while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((STOP_TIMEOUT * 10)) ]; do sleep 0.1; waited=$((waited + 1)); done
      if kill -0 "$pid" 2>/dev/null; then
        say "node $n did not exit within ${STOP_TIMEOUT}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      wait "$pid" 2>/dev/null && say "node $n exited 0 after $((SECONDS - started))s" || say "node $n exited $? after $((SECONDS - started))s"
    fi
  done
  stop_postgres
  say "logs: $logs"
}

on_signal() { echo; stop_all; exit 130; }
trap on_signal INT TERM
trap stop_all EXIT

if $with_postgres; then
  start_postgres
fi

# Each node in its own session where setsid exists: a Ctrl+C in the terminal reaches only this
# script, which then stops the nodes one at a time (the terminal would signal them all at once).
detach=""
command -v setsid >/dev/null && detach="setsid"

start_node() {
  local n="$1"
  (
    cd "$BIN"   # the content root: appsettings.json is beside the dll
    exec $detach env \
      Persistence__Provider=PostgreSql \
      Cluster__Hostname=127.0.0.1 \
      Cluster__Port=$((REMOTE_BASE + n)) \
      Cluster__SeedNodes__0="${SEEDS[0]}" \
      Cluster__SeedNodes__1="${SEEDS[1]}" \
      dotnet "$DLL" --urls "http://127.0.0.1:$((HTTP_BASE + n))"
  ) >"$logs/node$n.log" 2>&1 &
  pids+=("$!")
  say "node $n: pid $!, http://127.0.0.1:$((HTTP_BASE + n)), akka.tcp://messaging@127.0.0.1:$((REMOTE_BASE + n)), log $logs/node$n.log"
}

for n in 1 2 3; do start_node "$n"; done

# --- Readiness --------------------------------------------------------------------------------
cluster_check() { # the "cluster" entry of a node's /health/ready, e.g. {"status":"Healthy","description":"Up, 3 members, 0 unreachable"}
  curl -s --max-time 2 "http://127.0.0.1:$((HTTP_BASE + $1))/health/ready" 2>/dev/null | grep -o '"cluster":{[^}]*}' || true
}

ready() { # HTTP 200 and the cluster check sees all three members
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$((HTTP_BASE + $1))/health/ready" 2>/dev/null || true)"
  [ "$code" = 200 ] && cluster_check "$1" | grep -q '"Healthy".*Up, 3 members'
}

say "waiting up to ${ready_timeout}s for all three nodes to be ready"
launched=$SECONDS
deadline=$((SECONDS + ready_timeout))
while :; do
  all=true
  for n in 1 2 3; do
    if ! kill -0 "${pids[$((n - 1))]}" 2>/dev/null; then
      tail -n 30 "$logs/node$n.log" >&2
      fail "node $n exited before it was ready (log: $logs/node$n.log)"
    fi
    ready "$n" || all=false
  done
  $all && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    for n in 1 2 3; do say "node $n: $(cluster_check "$n")"; done
    fail "not all nodes were ready within ${ready_timeout}s (logs: $logs)"
  fi
  sleep 1
done

say "all three ready after $((SECONDS - launched))s"
for n in 1 2 3; do
  say "node $n ready: $(curl -s --max-time 2 "http://127.0.0.1:$((HTTP_BASE + n))/health/ready")"
done

cat <<EOF

Three nodes are up, in one cluster:
  http://127.0.0.1:8081   http://127.0.0.1:8082   http://127.0.0.1:8083
  web console: http://127.0.0.1:8081/app/   readiness: curl http://127.0.0.1:8081/health/ready
  journal: PostgreSQL (${ConnectionStrings__Messaging%%;Username*})
  logs: $logs
Any node takes any socket: open alice's socket on one node and send to her over REST on another.
EOF

if $check_only; then
  exit 0   # the EXIT trap stops the nodes one at a time
fi

echo "Ctrl+C stops the nodes one at a time."
# Runs until Ctrl+C or until no node is left; says so when a node exits by itself (e.g. downed).
alive=(1 1 1)
while :; do
  left=0
  for n in 1 2 3; do
    i=$((n - 1))
    if [ "${alive[$i]}" = 1 ]; then
      if kill -0 "${pids[$i]}" 2>/dev/null; then
        left=$((left + 1))
      else
        alive[$i]=0
        code=0; wait "${pids[$i]}" 2>/dev/null || code=$?
        say "node $n exited by itself with code $code (log: $logs/node$n.log)"
      fi
    fi
  done
  [ "$left" -gt 0 ] || fail "every node has exited"
  sleep 1
done
