#!/bin/bash
# Recording one result through the API under load (issue 8: >= 5,500 req/s at 64 connections
# on SQLite, with no lost update). certibloc serves a fresh SQLite database; evalseed enrols
# LEARNERS learners in cohorts of 30, each cohort sitting a session of BC01's evaluation (8
# criteria); wrk posts, with a staff token, one learner's draft per request: one criterion,
# never the same (learner, criterion) twice, both wrk threads grading the same learner at once
# (thread t takes the criteria t, t+T, …). After the run every grade answered 200 must be
# stored: the grades stored lie between the 2xx answers and the requests made (those wrk did not
# see finish included: timeouts, and those in flight when it stopped); fewer is a lost update.
#
# usage: scripts/bench/record-result.sh [SECS=10] [LEARNERS=3000]
# needs: wrk, sqlite3 (3.38 or later: json_array_length)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); D=${1:-10}; N=${2:-3000}; T=2; C=64
OUT=${OUT:-/tmp/certibloc-record-$(date +%s)}; mkdir -p $OUT/data
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; PIDS=(); }
trap cleanup EXIT
wait_up() { for i in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; return 1; }

(cd $ROOT && go build -o $OUT/certibloc ./cmd/certibloc && go build -o $OUT/evalseed ./scripts/bench/evalseed) || exit 1
$OUT/certibloc serve --data $OUT/data --addr 127.0.0.1:18090 > $OUT/serve.log 2>&1 & PIDS+=($!)
wait_up 127.0.0.1:18090/healthz || exit 1
$OUT/evalseed "sqlite:$OUT/data/certibloc.db" $N $OUT/learners.lua || exit 1
cat > $OUT/record.lua <<LUA
dofile("$OUT/learners.lua")
local n, threads = 0, {}
setup = function(thread) thread:set("tid", n); n = n + 1; table.insert(threads, thread) end
done = function(summary, latency, requests) -- how many requests each thread made, in flight at the end included
  for _, t in ipairs(threads) do io.write(string.format("thread made %d\n", t:get("k"))) end
end
init = function(args) k = 0 end
request = function()
  local i = k * $T + tid
  k = k + 1
  local c = i % #C
  local e = L[math.floor(i / #C) % #L + 1]
  local body = string.format('{"results":[{"person_id":%d,"marks":[{"criterion":"%s","value":"%d","comment":"Observé en séance, requête %d"}]}]}',
    e[2], C[c + 1], 1 + i % 4, i)
  return wrk.format("POST", "/api/v1/evaluations/" .. e[1] .. "/results",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
LUA
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(date -u +%FT%TZ)"
wrk -t$T -c$C -d${D}s --latency -s $OUT/record.lua http://127.0.0.1:18090/ > $OUT/wrk.txt 2>&1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat $OUT/wrk.txt
sleep 1 # the requests in flight when wrk stopped
cleanup
total=$(awk '/requests in/{print $1}' $OUT/wrk.txt)
non2xx=$(awk '/Non-2xx/{print $NF}' $OUT/wrk.txt); non2xx=${non2xx:-0}
timeouts=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' $OUT/wrk.txt); timeouts=${timeouts:-0}
ok=$((total - non2xx))
read rows grades <<< "$(sqlite3 -separator ' ' $OUT/data/certibloc.db \
  "SELECT count(*), coalesce(sum(json_array_length(marks)), 0) FROM results WHERE state = 'draft'")"
pairs=$(( $(grep -o '{[0-9]*,[0-9]*}' $OUT/learners.lua | wc -l) * $(sed -n 's/^C = {\(.*\)}/\1/p' $OUT/learners.lua | tr ',' '\n' | wc -l) ))
echo "answers 2xx: $ok, other: $non2xx, timeouts: $timeouts; results stored: $rows, grades stored: $grades (distinct grades possible: $pairs)"
made=$(awk '/^thread made/{s += $3} END {print s}' $OUT/wrk.txt)
most=$(awk '/^thread made/{if ($3 > m) m = $3} END {print m}' $OUT/wrk.txt)
echo "requests made: $made (the most by one thread: $most, distinct grades per thread: $((pairs / T)))"
if [ $most -gt $((pairs / T)) ]; then
  echo "a thread gave a grade twice: rerun with more LEARNERS for an exact count"; exit 2
elif [ $grades -lt $ok ] || [ $grades -gt $made ]; then
  echo "LOST UPDATE: $grades grades stored for $ok answered"; exit 1
fi
echo "no lost update: every grade answered is stored"
