#!/bin/bash
# Write throughput of one certibloc instance, then of two, on one PostgreSQL (issue 14: two
# instances at least 1.6× one for person creation and result recording). Each run starts the
# instances on a fresh schema; wrk sends audited writes with C connections in all, split evenly
# between the instances, and the req/s are summed. The workloads:
#   people:  POST /api/v1/people, a new person each time;
#   results: POST /api/v1/evaluations/{id}/results, one learner's draft grade each time, never
#            the same (learner, criterion) twice (evalseed enrols 3,000 learners first).
# GOMAXPROCS=1 in the environment gives each instance one core's worth of Go threads.
# CAP=0.4 in the environment puts each instance in a cgroup of its own limited to 0.4 of a CPU
# (cgroup v2 cpu.max or v1 cpu.cfs_quota_us; needs root): the instances, not PostgreSQL nor wrk,
# then limit the throughput, as instances on machines of their own would, and the run measures
# what the design scales to, on a machine with fewer cores than the instances would have.
#
# usage: CERTIBLOC_BENCH_POSTGRES=postgres://… scripts/bench/two-instances.sh [SECS=15] [C=64] [WORKLOADS="people results"]
# needs: wrk, psql
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); D=${1:-15}; C=${2:-64}; WORKLOADS=${3:-people results}
PG=${CERTIBLOC_BENCH_POSTGRES:?set CERTIBLOC_BENCH_POSTGRES to a PostgreSQL URL}
OUT=${OUT:-/tmp/certibloc-two-$(date +%s)}; mkdir -p $OUT
PIDS=(); SCHEMAS=()
cleanup() { for p in "${PIDS[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; PIDS=(); }
trap 'cleanup; for s in "${SCHEMAS[@]}"; do psql -q "$PG" -c "DROP SCHEMA $s CASCADE" >/dev/null 2>&1; done; for d in "${CGROUPS[@]}"; do rmdir $d 2>/dev/null; done' EXIT
CGROUPS=()
cap_cpu() { # pid name: the instance's share of a CPU, when CAP is set
  [ -n "${CAP:-}" ] || return 0
  local quota=$(awk -v c="$CAP" 'BEGIN { printf "%d", c * 100000 }') d
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    d=/sys/fs/cgroup/certibloc-$2; mkdir -p $d && echo "$quota 100000" > $d/cpu.max
  else
    d=/sys/fs/cgroup/cpu/certibloc-$2; mkdir -p $d && echo 100000 > $d/cpu.cfs_period_us && echo $quota > $d/cpu.cfs_quota_us
  fi || { echo "CAP: cannot make the cgroup $d (root and a cgroup cpu controller are needed)" >&2; exit 1; }
  echo $1 > $d/cgroup.procs; CGROUPS+=($d)
}
wait_up() { for i in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; return 1; }
(cd $ROOT && go build -o $OUT/certibloc ./cmd/certibloc && go build -o $OUT/evalseed ./scripts/bench/evalseed) || exit 1

run() { # workload instances
  local w=$1 n=$2 schema=two_$$_$1_$2 sep='?'
  [[ $PG == *\?* ]] && sep='&'
  psql -q "$PG" -c "CREATE SCHEMA $schema" || exit 1; SCHEMAS+=($schema)
  local db=(--data $OUT/data-$n --database "$PG${sep}search_path=$schema")
  $OUT/certibloc migrate "${db[@]}" >/dev/null || exit 1
  for i in $(seq $n); do
    $OUT/certibloc serve "${db[@]}" --addr 127.0.0.1:1810$i > $OUT/serve-$n-$i.log 2>&1 & PIDS+=($!)
    cap_cpu $! $i
  done
  for i in $(seq $n); do wait_up 127.0.0.1:1810$i/readyz || exit 1; done
  local tok=$($OUT/certibloc token create --role admin --name two "${db[@]}" | tail -n 1)
  if [ $w = results ]; then
    $OUT/evalseed "$PG${sep}search_path=$schema" 3000 $OUT/learners.lua > /dev/null || exit 1
  fi
  cat > $OUT/people.lua <<LUA
local n = 0
setup = function(thread) n = n + 1; thread:set("id", n) end
init = function(args) k = 0 end
request = function()
  k = k + 1
  local body = string.format('{"school":"DIIAGE","birth_name":"Two%d","first_names":"Nº%d","email":"t%d.%d.%d@example.org","level":5}', id, k, id, k, math.random(1e9))
  return wrk.format("POST", "/api/v1/people", {["Authorization"]="Bearer $tok", ["Content-Type"]="application/json"}, body)
end
LUA
  cat > $OUT/results.lua <<LUA
dofile("$OUT/learners.lua")
init = function(args) k = 0; tid = tonumber(args[1]) end -- one wrk of one thread per instance
request = function()
  local i = k * $n + tid
  k = k + 1
  local c = i % #C
  local e = L[math.floor(i / #C) % #L + 1]
  local body = string.format('{"results":[{"person_id":%d,"marks":[{"criterion":"%s","value":"%d"}]}]}', e[2], C[c + 1], 1 + i % 4)
  return wrk.format("POST", "/api/v1/evaluations/" .. e[1] .. "/results",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
LUA
  local wpids=()
  for i in $(seq $n); do
    wrk -t1 -c$((C / n)) -d${D}s -s $OUT/$w.lua http://127.0.0.1:1810$i/ -- $((i - 1)) > $OUT/wrk-$w-$n-$i.txt 2>&1 & wpids+=($!)
  done
  wait "${wpids[@]}"
  local sum=$(cat $OUT/wrk-$w-$n-*.txt | awk '/Requests\/sec/{s+=$2} END{printf "%.0f", s}')
  local errs=$(cat $OUT/wrk-$w-$n-*.txt | grep -E 'Non-2xx|Socket errors' | paste -sd' ')
  echo "| $w | $n instance(s) | $sum | ${errs:-0 errors} | $(cut -d' ' -f1 /proc/loadavg) |"
  cleanup
}
echo "$(nproc) CPUs, GOMAXPROCS=${GOMAXPROCS:-unset}, CAP=${CAP:-none}, load before $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ), $C connections, ${D}s"
echo "| workload | instances | writes/s | errors | load |"; echo "|---|---|---|---|---|"
for w in $WORKLOADS; do run $w 1; run $w 2; done
