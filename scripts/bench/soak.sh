#!/bin/bash
# The soak of issue 14: a steady mix of reads and writes (scripts/bench/soak) at RATE
# requests per second for SECS seconds against certibloc on a fresh database, SQLite and,
# when CERTIBLOC_BENCH_POSTGRES names a server, PostgreSQL (in a schema of its own, dropped
# at the end). Prints a line per minute (requests, errors, p50, p99, the server's RSS) and
# fails when there is an error, p99 is over 50 ms or memory grew by more than 20 %.
#
# usage: scripts/bench/soak.sh [SECS=600] [RATE=500] [ENGINES="sqlite postgres"]
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); D=${1:-600}; RATE=${2:-500}; ENGINES=${3:-sqlite postgres}
PG=${CERTIBLOC_BENCH_POSTGRES:-}
OUT=${OUT:-/tmp/certibloc-soak-$(date +%s)}; mkdir -p $OUT
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; PIDS=(); }
trap cleanup EXIT
wait_up() { for i in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; return 1; }

(cd $ROOT && go build -o $OUT/certibloc ./cmd/certibloc && go build -o $OUT/soak ./scripts/bench/soak) || exit 1
status=0
for engine in $ENGINES; do
  db=(--data $OUT/data-$engine)
  if [ $engine = postgres ]; then
    [ -n "$PG" ] || { echo "(PostgreSQL skipped: set CERTIBLOC_BENCH_POSTGRES)"; continue; }
    schema=soak_$$; psql -q "$PG" -c "CREATE SCHEMA $schema" || exit 1
    trap "psql -q '$PG' -c 'DROP SCHEMA $schema CASCADE' >/dev/null 2>&1; cleanup" EXIT
    sep='?'; [[ $PG == *\?* ]] && sep='&'
    db+=(--database "$PG${sep}search_path=$schema")
  fi
  $OUT/certibloc serve "${db[@]}" --addr 127.0.0.1:18095 > $OUT/serve-$engine.log 2>&1 & PIDS+=($!)
  wait_up 127.0.0.1:18095/readyz || exit 1
  tok=$($OUT/certibloc token create --role admin --name soak "${db[@]}" | tail -n 1)
  echo "== $engine, $(nproc) CPUs, load before $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
  $OUT/soak -url http://127.0.0.1:18095 -token "$tok" -rate $RATE -for ${D}s -pid ${PIDS[0]} || status=1
  echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
  cleanup
done
exit $status
