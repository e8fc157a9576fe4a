#!/usr/bin/env bash
# Start-up and footprint figures for the fat jar, started the way scripts/start.sh starts it:
#   time from `java -jar` to the first 200 from /api/health (median of RUNS),
#   resident memory (VmRSS) 2 s after that first 200 (median of RUNS),
#   /api/explorer latency with CONTAINERS demo containers present (median and p90 of 50 requests).
# Needs a running engine with the demo image (scripts/test-env.sh up). Stops only what it started.
#   bench/startup.sh            RUNS=5 CONTAINERS=50 JAVA=java JAR=dist/target/docksmith.jar
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
CONTAINERS=${CONTAINERS:-50}
JAVA=${JAVA:-java}
IMAGE=${IMAGE:-localhost:5000/docksmith/demo:1.0.0}
JAR=${JAR:-dist/target/docksmith.jar}   # bench/run.sh passes a copy, so a rebuild meanwhile changes nothing
[ -f "$JAR" ] || mvn -B -q -Dmaven.test.skip=true package -pl dist -am
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
work=$(mktemp -d /tmp/docksmith-bench.XXXXXX)
pid=""
created=()
cleanup() {  # every step guarded: under set -e a failing step would end the trap before the rest
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ ${#created[@]} -gt 0 ]; then docker rm -f "${created[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
p90() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.9+0.5); if (i<1) i=1; print a[i]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_docksmith() {  # start_docksmith PORT DATA: prints ms to first healthy answer; the PID goes to $work/pid
  local port=$1 data=$2 t0 code
  t0=$(date +%s%N)
  "$JAVA" "${jvm_options[@]}" -jar "$JAR" --port "$port" --data "$data" --check-interval 0 \
    >"$work/log-$port.txt" 2>&1 &
  pid=$!
  echo "$pid" >"$work/pid"
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/log-$port.txt" >&2; echo "Docksmith exited" >&2; exit 1; }
    sleep 0.005
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}

stop_docksmith() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $("$JAVA" -version 2>&1 | head -n1)"
echo "jvm options: ${jvm_options[*]}"
startups=(); rss=()
for i in $(seq 1 "$RUNS"); do
  port=$(free_port)
  ms=$(start_docksmith "$port" "$work/data-$i"); pid=$(cat "$work/pid")
  sleep 2
  kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  startups+=("$ms"); rss+=("$kb")
  echo "run $i: first 200 after ${ms} ms, resident $((kb / 1024)) MiB"
  stop_docksmith
done
m_startup=$(printf '%s\n' "${startups[@]}" | median)
m_rss=$(( $(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024 ))
echo "start-up to first 200: median $m_startup ms of $RUNS runs"
echo "resident memory after start: median $m_rss MiB of $RUNS runs"

for i in $(seq 1 "$CONTAINERS"); do
  name="bench-explorer-$$-$i"
  docker run -d --name "$name" --label dev.docksmith.bench=true --network none "$IMAGE" >/dev/null
  created+=("$name")
done
port=$(free_port)
start_docksmith "$port" "$work/data-explorer" >/dev/null; pid=$(cat "$work/pid")
url="http://127.0.0.1:$port/api/explorer"
count=$(curl -s "$url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]["containers"]))')
for _ in $(seq 1 10); do curl -s -o /dev/null "$url"; done   # warm-up
times=()
for _ in $(seq 1 50); do times+=("$(curl -s -o /dev/null -w '%{time_total}' "$url")"); done
ms() { awk '{printf "%.1f", $1 * 1000}'; }
m_explorer=$(printf '%s\n' "${times[@]}" | median | ms); p90_explorer=$(printf '%s\n' "${times[@]}" | p90 | ms)
echo "/api/explorer with $count containers: median $m_explorer ms, p90 $p90_explorer ms (50 requests after 10 warm-up)"
kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "resident memory after the explorer runs: $((kb / 1024)) MiB"
echo "BENCH_STARTUP runs=$RUNS startup_ms=$m_startup startup_min_ms=$(printf '%s\n' "${startups[@]}" | sort -n | head -n1)" \
  "startup_max_ms=$(printf '%s\n' "${startups[@]}" | sort -n | tail -n1) rss_mib=$m_rss explorer_containers=$count" \
  "explorer_median_ms=$m_explorer explorer_p90_ms=$p90_explorer explorer_rss_mib=$((kb / 1024))"
