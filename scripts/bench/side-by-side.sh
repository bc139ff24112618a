#!/bin/bash
# One run, side by side: the limits (bare net/http, a minimal database read) and certibloc's
# API on the same engine: person creation, an authenticated person read, the referential.
# Adapted from ../shared/bench/run-side-by-side.sh: the limit programs are copied beside
# this script, reads pick among the people made, the load average is printed per row, and
# PostgreSQL is measured too when CERTIBLOC_BENCH_POSTGRES names a server (each engine in a
# schema of its own, dropped at the end).
#
# usage: scripts/bench/side-by-side.sh [SECS=10] [ENGINES="sqlite postgres"]
# needs: wrk, sqlite3, psql (for PostgreSQL)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); D=${1:-10}; ENGINES=${2:-sqlite postgres}
PG=${CERTIBLOC_BENCH_POSTGRES:-}
OUT=${OUT:-/tmp/certibloc-bench-$(date +%s)}; mkdir -p $OUT
W="wrk -t2 -c64 -d${D}s --latency"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; PIDS=(); }
trap cleanup EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
row() { # name file
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/{printf "%.0f", $2}' $2); p50=$(awk '$1=="50%"{print $2}' $2); p99=$(awk '$1=="99%"{print $2}' $2)
  errs=$(grep -E 'Non-2xx|Socket errors' $2 | tr -s ' ' | paste -sd' ')
  printf "| %s | %s | %s | %s | %s | %s |\n" "$1" "$rps" "$p50" "$p99" "${errs:-0 errors}" "$(load)"
}
wait_up() { for i in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; return 1; }

(cd $ROOT && go build -o $OUT/hello ./scripts/bench/hello && go build -o $OUT/sqlread ./scripts/bench/sqlread &&
  go build -o $OUT/pgread ./scripts/bench/pgread && go build -o $OUT/certibloc ./cmd/certibloc) || exit 1
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(date -u +%FT%TZ)"
echo; echo "| workload | req/s | p50 | p99 | errors | load |"; echo "|---|---|---|---|---|---|"
$OUT/hello & PIDS+=($!)
wait_up 127.0.0.1:18080/ && $W http://127.0.0.1:18080/ > $OUT/hello.txt 2>&1; row "limit: bare net/http hello" $OUT/hello.txt
cleanup

certibloc() { # engine: serve, then create people, read them, read the referential
  local engine=$1 db=() limit
  case $engine in
  sqlite)
    (cd $OUT && ./sqlread x.db init >/dev/null 2>&1; exec ./sqlread x.db) & PIDS+=($!)
    limit=$OUT/sqlread.txt; mkdir -p $OUT/data; db=(--data $OUT/data) ;;
  postgres)
    local schema=bench_$$ limschema=benchlimit_$$
    psql -q "$PG" -c "CREATE SCHEMA $schema; CREATE SCHEMA $limschema" || return 1
    trap "psql -q '$PG' -c 'DROP SCHEMA $schema CASCADE; DROP SCHEMA $limschema CASCADE' >/dev/null 2>&1; cleanup" EXIT
    local sep='?'; [[ $PG == *\?* ]] && sep='&'
    local url="$PG${sep}search_path=$schema" limurl="$PG${sep}search_path=$limschema"
    $OUT/pgread "$limurl" init || return 1
    $OUT/pgread "$limurl" & PIDS+=($!)
    limit=$OUT/pgread.txt; db=(--data $OUT/pgdata --database "$url") ;;
  esac
  local port=$([ $engine = sqlite ] && echo 18081 || echo 18082)
  wait_up 127.0.0.1:$port/people/1/blocks && $W -s $ROOT/scripts/bench/rnd.lua http://127.0.0.1:$port/ > $limit 2>&1
  row "$engine limit: minimal read (6 rows)" $limit
  cleanup
  $OUT/certibloc serve "${db[@]}" --addr 127.0.0.1:18090 > $OUT/serve-$engine.log 2>&1 & PIDS+=($!)
  wait_up 127.0.0.1:18090/healthz || return 1
  local tok=$($OUT/certibloc token create --role admin --name bench "${db[@]}" | tail -n 1)
  cat > $OUT/mkperson.lua <<LUA
local n = 0
setup = function(thread) n = n + 1; thread:set("id", n) end
init = function(args) k = 0 end
request = function()
  k = k + 1
  local body = string.format('{"school":"DIIAGE","birth_name":"Perf%d","first_names":"Nº%d","email":"p%d.%d@example.org","level":5}', id, k, id, k)
  return wrk.format("POST", "/api/v1/people", {["Authorization"]="Bearer $tok", ["Content-Type"]="application/json"}, body)
end
LUA
  $W -s $OUT/mkperson.lua http://127.0.0.1:18090/ > $OUT/cb-create-$engine.txt 2>&1
  row "$engine certibloc: create a person (audit chained)" $OUT/cb-create-$engine.txt
  local np=$(curl -sf -H "Authorization: Bearer $tok" '127.0.0.1:18090/api/v1/people?limit=1' | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
  cat > $OUT/getperson.lua <<LUA
request = function()
  return wrk.format("GET", "/api/v1/people/" .. math.random(1, ${np:-1}), {["Authorization"]="Bearer $tok"})
end
LUA
  $W -s $OUT/getperson.lua http://127.0.0.1:18090/ > $OUT/cb-person-$engine.txt 2>&1
  row "$engine certibloc: read a person, bearer token (${np:-?} people)" $OUT/cb-person-$engine.txt
  for enc in identity gzip; do
    cat > $OUT/getcert.lua <<LUA
request = function() return wrk.format("GET", "/api/v1/certifications/RNCP38478", {["Accept-Encoding"]="$enc"}) end
LUA
    $W -s $OUT/getcert.lua http://127.0.0.1:18090/ > $OUT/cb-cert-$engine-$enc.txt 2>&1
    row "$engine certibloc: referential RNCP38478, $enc ($(curl -s -H "Accept-Encoding: $enc" 127.0.0.1:18090/api/v1/certifications/RNCP38478 | wc -c) bytes)" $OUT/cb-cert-$engine-$enc.txt
  done
  echo "| ($engine certibloc RSS after the reads: $(ps -o rss= -p ${PIDS[0]} | awk '{printf "%.0f MiB", $1/1024}')) | | | | | |"
  cleanup
}

for engine in $ENGINES; do
  if [ $engine = postgres ] && [ -z "$PG" ]; then echo "(PostgreSQL skipped: set CERTIBLOC_BENCH_POSTGRES)"; continue; fi
  certibloc $engine
done
echo; echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); raw wrk output: $OUT"
