#!/usr/bin/env bash
# The million-link load run, scaled: saves N links (default 200000) straight
# into a fresh database, starts `basketlink serve` on it, and clicks them at
# random with wrk, on SQLite and then on PostgreSQL (a throwaway cluster run as
# user nobody in a temporary directory, on a unix socket). Round by round it
# measures /livez, random /b/{id}/go and random /b/{id}, so a busy machine
# slows all three alike; then prints the medians, the ratios to /livez and the
# server's memory (VmHWM: its peak RSS, VmRSS: at the end) from /proc.
# Loopback only; every wrk run is ROUND_SECONDS (default 5) long.
# First, unmeasured, every id is clicked once in order (in wrk runs of at
# most 10 s), so the rounds see the server in its steady state, not cold.
#
# Usage: scripts/links-load.sh [rounds, default 3]
# Env: BIN (basketlink binary; default: built from this tree), LOADLINKS (the
#      scripts/loadlinks binary of BIN's tree, for a BIN of an older schema), N (links),
#      BACKENDS ("sqlite postgres"), THREADS (2), WRK_ARGS ("-c32"), ROUND_SECONDS (5),
#      SERVE_ARGS (extra flags for serve, e.g. --cache-size 250000),
#      WARM (1; 0: no warm-up), MEMLIMIT (the server's GOMEMLIMIT, default 100MiB
#      as docs/deployment.md advises; "off" for Go's default).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
n=${N:-200000}
backends=${BACKENDS:-sqlite postgres}
threads=${THREADS:-2}
wrk_args="-t$threads ${WRK_ARGS:--c32}"
secs=${ROUND_SECONDS:-5}
work=$(mktemp -d /tmp/basketlink-load.XXXXXX)
server_pid= pg_dir= pg_bin=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ -n "$pg_dir" ]; then
    runuser -u nobody -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bin=${BIN:-}
if [ -z "$bin" ]; then
  bin=$work/basketlink
  go build -o "$bin" ./cmd/basketlink
fi
loadlinks=${LOADLINKS:-}
if [ -z "$loadlinks" ]; then
  loadlinks=$work/loadlinks
  go build -o "$loadlinks" ./scripts/loadlinks
fi

# start_postgres sets pg_dir and db_url (not in a subshell: the cleanup needs pg_dir).
start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/basketlink-load-pg.XXXXXX)
  chown nobody "$pg_dir"
  chmod 700 "$pg_dir"
  runuser -u nobody -- "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$pg_dir/initdb.log" 2>&1
  runuser -u nobody -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start \
    -o "-c listen_addresses='' -k $pg_dir -c fsync=off -c synchronous_commit=off" >/dev/null
  db_url="postgres://postgres@/postgres?host=$pg_dir"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

for backend in $backends; do
  data=$work/data-$backend
  mkdir -p "$data"
  db_url=
  [ "$backend" = postgres ] && start_postgres
  "$loadlinks" -data "$data" -db "$db_url" -n "$n" -ids "$work/ids.txt"
  # shellcheck disable=SC2086
  memlimit=${MEMLIMIT:-100MiB}
  [ "$memlimit" = off ] && memlimit=
  GOMEMLIMIT=$memlimit BASKETLINK_DATABASE_URL=$db_url "$bin" serve --addr 127.0.0.1:0 --data-dir "$data" --log-level warn ${SERVE_ARGS:-} \
    >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q 'serving on' "$work/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  base=$(sed -n 's/^basketlink: serving on //p' "$work/serve.out")
  [ -n "$base" ] || { cat "$work/serve.err" >&2; exit 1; }
  echo "== $backend: $n links, $bin ${SERVE_ARGS:-} GOMEMLIMIT=${memlimit:-unset}, wrk $wrk_args -d${secs}s, $rounds rounds"
  if [ "${WARM:-1}" = 1 ]; then
    done_ids=0
    while [ "$done_ids" -lt "$n" ]; do
      out=$(START=$done_ids THREADS=$threads IDS=$work/ids.txt wrk $wrk_args -d10s -s scripts/wrk-links.lua "$base")
      done_ids=$((done_ids + $(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$out")))
    done
    echo "warm-up: $done_ids clicks in order"
  fi
  : >"$work/results"
  for round in $(seq "$rounds"); do
    for what in livez go review; do
      case $what in
      livez) out=$(wrk $wrk_args -d"${secs}s" -s scripts/wrk-report.lua "$base/livez") ;;
      go) out=$(IDS=$work/ids.txt PATH_FMT=/b/%s/go wrk $wrk_args -d"${secs}s" -s scripts/wrk-links.lua "$base") ;;
      review) out=$(IDS=$work/ids.txt PATH_FMT=/b/%s wrk $wrk_args -d"${secs}s" -s scripts/wrk-links.lua "$base") ;;
      esac
      line=$(grep RESULT <<<"$out")
      echo "round $round $what $line"
      echo "$what $line" >>"$work/results"
    done
  done
  mem=$(grep -E '^Vm(HWM|RSS)' "/proc/$server_pid/status" | awk '{printf "%s %d MB  ", $1, $2/1024}')
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  rps() { grep "^$1 " "$work/results" | sed 's/.*rps=\([0-9]*\).*/\1/' | median; }
  bad() { grep "^$1 " "$work/results" | sed 's/.*errors=\([0-9]*\) non2xx=\([0-9]*\).*/\1 \2/' | awk '{s+=$1+$2} END {print s+0}'; }
  livez=$(rps livez) go=$(rps go) review=$(rps review)
  echo "-- $backend medians: livez $livez/s  go $go/s ($(awk "BEGIN{printf \"%.2f\", $go/$livez}") of livez, goal >= 0.70)  review $review/s ($(awk "BEGIN{printf \"%.2f\", $review/$livez}") of livez, goal >= 0.50)"
  # Each round's own ratios too: a round's three runs come one after another,
  # so a slower or faster spell of the machine moves them together.
  ratios() { paste <(grep '^livez ' "$work/results" | sed 's/.*rps=\([0-9]*\).*/\1/') \
    <(grep "^$1 " "$work/results" | sed 's/.*rps=\([0-9]*\).*/\1/') | awk '{printf "%.3f\n", $2/$1}'; }
  echo "-- $backend per round: go/livez $(ratios go | tr '\n' ' ')(median $(ratios go | median)), review/livez $(ratios review | tr '\n' ' ')(median $(ratios review | median))"
  echo "-- $backend errors+non-2xx/3xx: livez $(bad livez) go $(bad go) review $(bad review); server $mem(goal VmHWM <= 150 MB)"
  if [ "$backend" = postgres ]; then
    runuser -u nobody -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=
  fi
done
