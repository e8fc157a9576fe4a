#!/usr/bin/env bash
# Load figures for the fat jar on loopback, bounded in time (issue 6, Load). Docksmith runs with
# CHECK_INTERVAL (default 10s, so background checks run during the load) on CONTAINERS demo containers
# (plus whatever else the engine runs), with SEED operations recorded first (restarts of those
# containers, so /api/operations has something to list). SSE_CLIENTS clients hold GET /api/events
# open for the whole run (bench/sse_clients.py), plus one deliberately slow one (4 KiB receive
# buffer, reads SLOW_BYTES a second). Then wrk (CONNECTIONS connections, THREADS threads, DURATION
# each, bench/load.lua counting every non-2xx) runs one phase after another:
#   GET  /api/status
#   GET  /api/operations
#   POST /api/trigger-check   the cached check (README: "a background check using cached answers";
#                             a trigger while one runs joins it), so checks run back to back
#   GET  /api/check           with FRESH_CONNECTIONS (default 2) connections: a fresh check drops the
#                             cached registry answers and at most 2 run at once, so this is the
#                             most that may ask without being refused
#   GET  /api/check           with CONNECTIONS for PROBE_DURATION: over the limit on purpose; 429
#                             RATE_LIMITED is the documented answer and is reported apart, any
#                             other non-2xx is a failure
# Per phase: requests/s, requests, non-2xx by status, socket errors (connect/read/write/timeout),
# p50/p99/max latency (wrk), checks Docksmith logged, and the JVM's thread count and resident memory
# (VmRSS; /proc sampled every 0.5 s, max over the phase). After the load: threads and memory with the
# SSE clients still open, then once the thread count is back within 40 of where it was before the
# clients (stream threads end at their next write and 30 s idle; at most AFTER_WAIT s, else a failure),
# and the largest kernel Send-Q of Docksmith's stream connections (the slow client's backlog). SSE: every normal client must get HTTP 200, stay
# open, lose no event, and receive check.progress started and complete of every check that ran;
# the delivery lag of each complete (arrival at the client - Docksmith's "checked N containers" log
# line) per phase shows whether the slow client held the others back. Any failure is listed
# precisely under the table and makes the exit status 1.
# Needs root for apt-get when wrk is missing, a running engine with the demo image
# (scripts/test-env.sh up), python3, curl. Creates only containers labelled
# dev.docksmith.bench.run=<this run> and removes exactly those; stops only the processes it started;
# everything listens on 127.0.0.1.
#   bench/load.sh              DURATION=30 CONNECTIONS=64 THREADS=2 SSE_CLIENTS=200 SLOW_BYTES=64 CONTAINERS=20
#                              CHECK_INTERVAL=10s SEED=20 FRESH_CONNECTIONS=2 PROBE_DURATION=5 AFTER_WAIT=120 JAVA=java
#                              KEEP_WORK=1 keeps the logs (Docksmith, wrk, SSE results, samples) in /tmp
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SSE_CLIENTS=${SSE_CLIENTS:-200}
SLOW_BYTES=${SLOW_BYTES:-64}
CONTAINERS=${CONTAINERS:-20}
CHECK_INTERVAL=${CHECK_INTERVAL:-10s}
SEED=${SEED:-20}
FRESH_CONNECTIONS=${FRESH_CONNECTIONS:-2}
PROBE_DURATION=${PROBE_DURATION:-5}
AFTER_WAIT=${AFTER_WAIT:-120}
JAVA=${JAVA:-java}
JOBS=${JOBS:-4}
IMAGE=${IMAGE:-localhost:5000/docksmith/demo:1.0.0}
invocation="DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS SSE_CLIENTS=$SSE_CLIENTS SLOW_BYTES=$SLOW_BYTES CONTAINERS=$CONTAINERS CHECK_INTERVAL=$CHECK_INTERVAL bench/load.sh"
die() { echo "load.sh: $*" >&2; exit 1; }

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)" >&2
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; } || die "could not install wrk"
fi
JAR=${JAR:-dist/target/docksmith.jar}
if [ ! -f "$JAR" ]; then
  mvn -B -o -q install -DskipTests -DskipITs && mvn -B -o -q package -pl dist -DskipTests -DskipITs
fi
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE is missing (scripts/test-env.sh up)"

work=$(mktemp -d /tmp/docksmith-load.XXXXXX)
run="l$$"
pid=""; sse_pid=""; sampler_pid=""
cleanup() {  # every step guarded: under set -e a failing step would end the trap before the rest
  if [ -n "$sse_pid" ]; then kill "$sse_pid" 2>/dev/null || true; wait "$sse_pid" 2>/dev/null || true; fi
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  local ids
  ids=$(docker ps -aq --filter "label=dev.docksmith.bench.run=$run" 2>/dev/null || true)
  if [ -n "$ids" ]; then docker rm -f $ids >/dev/null 2>&1 || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs kept in $work" >&2; else rm -rf "$work" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
proc_sample() { awk '/^Threads:/ {t = $2} /^VmRSS:/ {r = $2} END {printf "%d %d\n", t, r}' "/proc/$1/status" 2>/dev/null || echo "0 0"; }
checked_lines() { grep -c 'checked [0-9,]* containers in' "$dslog" || true; }
api() { curl -s --max-time 30 "$@"; }

# --- containers ---------------------------------------------------------------------------------
t0=$(now_ms)
for i in $(seq 1 "$CONTAINERS"); do echo "bench-load-$run-$i"; done \
  | xargs -P "$JOBS" -I{} docker run -d --name {} --label dev.docksmith.bench=true --label "dev.docksmith.bench.run=$run" \
      --network none "$IMAGE" >/dev/null
echo "containers: $CONTAINERS of $IMAGE started in $(( $(now_ms) - t0 )) ms; the engine runs $(docker ps -q | wc -l) in all"

# --- Docksmith ----------------------------------------------------------------------------------
port=$(free_port)
dslog="$work/docksmith.log"
java_cmd=(env CHECK_INTERVAL="$CHECK_INTERVAL" "$JAVA" "${jvm_options[@]}" -jar "$JAR" --port "$port" --data "$work/data")
"${java_cmd[@]}" >"$dslog" 2>&1 &
pid=$!
while :; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$dslog" >&2; die "Docksmith exited"; }
  sleep 0.01
done
base="http://127.0.0.1:$port"
( while kill -0 "$pid" 2>/dev/null; do echo "$(now_ms) $(proc_sample "$pid")"; sleep 0.5; done ) >"$work/samples.txt" 2>/dev/null &
sampler_pid=$!
read -r idle_threads idle_rss <<<"$(proc_sample "$pid")"

# --- SSE clients, then the seed operations ----------------------------------------------------------
python3 bench/sse_clients.py "$port" "$SSE_CLIENTS" "$work/sse.json" "$SLOW_BYTES" >"$work/sse.out" 2>"$work/sse.err" &
sse_pid=$!
for _ in $(seq 1 600); do grep -q '^ready' "$work/sse.out" 2>/dev/null && break; kill -0 "$sse_pid" 2>/dev/null || break; sleep 0.1; done
grep -q '^ready' "$work/sse.out" || { cat "$work/sse.err" >&2; die "the SSE clients did not connect"; }
sse_ready=$(awk '/^ready/ {print $2}' "$work/sse.out")
slow_n=$([ "$SLOW_BYTES" -gt 0 ] && echo 1 || echo 0)
[ "$sse_ready" -eq $((SSE_CLIENTS + slow_n)) ] || echo "load.sh: only $sse_ready of $((SSE_CLIENTS + slow_n)) event streams answered 200" >&2
read -r sse_threads sse_rss <<<"$(proc_sample "$pid")"
# Every check from here on is seen whole by the clients: wait until none runs, then count the logged ones.
for _ in $(seq 1 300); do api "$base/api/status" | grep -q '"check_running":false' && break; sleep 0.1; done
checks_before=$(checked_lines)
echo "event streams: $sse_ready open ($SSE_CLIENTS + $slow_n slow); Docksmith $idle_threads threads / $((idle_rss / 1024)) MiB before, $sse_threads / $((sse_rss / 1024)) MiB with them"

seeded=0
for i in $(seq 1 "$SEED"); do
  name="bench-load-$run-$(( (i - 1) % CONTAINERS + 1 ))"
  code=$(curl -s -o "$work/seed.json" -w '%{http_code}' --max-time 60 -X POST "$base/api/containers/$name/restart") || true
  if [ "$code" = 200 ]; then seeded=$((seeded + 1)); else echo "load.sh: seeding restart of $name answered $code: $(head -c 200 "$work/seed.json")" >&2; fi
done
ops=$(api "$base/api/operations" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]))')
echo "seeded: $seeded restarts; GET /api/operations lists $ops operations"

# --- the wrk phases -----------------------------------------------------------------------------
: >"$work/phases.txt"
phase() {  # phase NAME METHOD PATH CONNECTIONS SECONDS
  local name=$1 method=$2 path=$3 conns=$4 secs=$5 threads=$THREADS a b c0 c1 line
  [ "$threads" -le "$conns" ] || threads=$conns
  for _ in $(seq 1 300); do api "$base/api/status" | grep -q '"check_running":false' && break; sleep 0.1; done
  sleep 1
  c0=$(checked_lines); a=$(now_ms)
  LOAD_METHOD=$method wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s bench/load.lua "$base$path" >"$work/wrk-$name.txt" 2>&1 || true
  b=$(now_ms); c1=$(checked_lines)
  line=$(grep '^WRK_RESULT' "$work/wrk-$name.txt" || true)
  [ -n "$line" ] || { cat "$work/wrk-$name.txt" >&2; die "wrk printed no result for $name"; }
  echo "PHASE name=$name method=$method path=$path connections=$conns threads=$threads duration=$secs start_ms=$a end_ms=$b checks=$((c1 - c0)) ${line#WRK_RESULT }" >>"$work/phases.txt"
  echo "  $method $path, $conns connections, ${secs} s: $(sed -E 's/.*rps=([0-9.]+).*p50_ms=([0-9.]+).*p99_ms=([0-9.]+).*non2xx=([0-9]+).*/\1 req\/s, p50 \2 ms, p99 \3 ms, non-2xx \4/' <<<"$line"), $((c1 - c0)) checks"
}
echo "wrk phases ($CONNECTIONS connections, $THREADS threads, $DURATION s each):"
phase status GET /api/status "$CONNECTIONS" "$DURATION"
phase operations GET /api/operations "$CONNECTIONS" "$DURATION"
phase trigger-check POST /api/trigger-check "$CONNECTIONS" "$DURATION"
if [ "$FRESH_CONNECTIONS" -gt 0 ]; then phase check-fresh GET /api/check "$FRESH_CONNECTIONS" "$DURATION"; fi
if [ "$PROBE_DURATION" -gt 0 ]; then phase check-over-limit GET /api/check "$CONNECTIONS" "$PROBE_DURATION"; fi

# --- after ----------------------------------------------------------------------------------------
for _ in $(seq 1 300); do api "$base/api/status" | grep -q '"check_running":false' && break; sleep 0.1; done
sleep 5
checks_after=$(checked_lines)
read -r after_threads after_rss <<<"$(proc_sample "$pid")"
# Docksmith's unsent bytes per event stream (the kernel's Send-Q of each of its connections): the slow
# client's fills up, so Docksmith's writes to it block, and its bounded queue drops events for it alone.
sendq=$(ss -tnH state established "( sport = :$port )" 2>/dev/null | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {if (NR > 1) printf "%d %d %d", a[NR], a[NR - 1], NR; else if (NR) printf "%d 0 1", a[1]; else print "0 0 0"}')
kill "$sse_pid" 2>/dev/null || true; wait "$sse_pid" 2>/dev/null || true; sse_pid=""
[ -s "$work/sse.json" ] || { cat "$work/sse.err" >&2; die "the SSE clients wrote no results"; }
# A stream's thread notices its client left at its next write (an event, or the keep-alive every 15 s;
# the first write after the close may still succeed), then idles 30 s in the pool before it ends:
# wait until the thread count is back near where it was before the clients, at most AFTER_WAIT s.
released=""
for i in $(seq 1 "$AFTER_WAIT"); do
  sleep 1
  read -r closed_threads closed_rss <<<"$(proc_sample "$pid")"
  if [ "$closed_threads" -le $((idle_threads + 40)) ]; then released=$i; break; fi
done
health=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/health" || true)
kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
grep -E ' (WARNING|WARN|ERROR|SEVERE) ' "$dslog" | sed -E 's/^[^ ]+ +//' | sort | uniq -c | sort -rn >"$work/warnings.txt" || true

# --- the table ------------------------------------------------------------------------------------
export invocation CONNECTIONS THREADS DURATION SSE_CLIENTS SLOW_BYTES CONTAINERS CHECK_INTERVAL AFTER_WAIT
python3 - "$work" "$checks_before" "$checks_after" "$idle_threads $idle_rss" "$sse_threads $sse_rss" \
  "$after_threads $after_rss" "$closed_threads $closed_rss" "$health" "$ops" "$(docker ps -q | wc -l)" "${java_cmd[*]}" "$sendq" \
  "${released:-none}" <<'EOF'
import calendar, json, os, re, statistics, sys, time
work, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
idle, with_sse, after_load, closed = [tuple(int(x) for x in a.split()) for a in sys.argv[4:8]]
health, ops, engine_containers, java_cmd = sys.argv[8], sys.argv[9], sys.argv[10], sys.argv[11]
sendq_max, sendq_next, stream_conns = (int(x) for x in sys.argv[12].split())
released = sys.argv[13]
env = os.environ
failures = []

phases = []
for line in open(os.path.join(work, "phases.txt")):
    kv = dict(p.split("=", 1) for p in line.split()[1:])
    phases.append(kv)
samples = []
for line in open(os.path.join(work, "samples.txt")):
    p = line.split()
    if len(p) == 3 and p[1] != "0":
        samples.append((int(p[0]), int(p[1]), int(p[2])))

def peak(a, b):
    s = [x for x in samples if a <= x[0] <= b]
    return (max(x[1] for x in s), max(x[2] for x in s) // 1024) if s else (0, 0)

def socket_errors(kv):
    return "%s/%s/%s/%s" % (kv["connect"], kv["read"], kv["write"], kv["timeout"])

print()
print("| phase (wrk -t%s -d%ss, bench/load.lua) | conns | requests/s | requests | non-2xx | socket errors conn/read/write/timeout | p50 ms | p99 ms | max ms | checks run | JVM threads max | RSS max MiB |" % (env["THREADS"], env["DURATION"]))
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for kv in phases:
    over = kv["name"] == "check-over-limit"
    codes = kv["codes"]
    non2xx = int(kv["non2xx"])
    th, rss = peak(int(kv["start_ms"]), int(kv["end_ms"]))
    label = "%s %s" % (kv["method"], kv["path"])
    if kv["name"] == "trigger-check":
        label += " (cached check)"
    elif kv["name"] == "check-fresh":
        label += " (fresh, at the limit of 2)"
    elif over:
        label += " (fresh, over the limit: 429 expected, %s s)" % kv["duration"]
    shown = str(non2xx) if codes == "-" else "%d (%s)" % (non2xx, codes)
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        label, kv["connections"], kv["rps"], kv["requests"], shown, socket_errors(kv),
        kv["p50_ms"], kv["p99_ms"], kv["max_ms"], kv["checks"], th, rss))
    errs = sum(int(kv[k]) for k in ("connect", "read", "write", "timeout"))
    if errs:
        failures.append("%s: socket errors connect %s, read %s, write %s, timeout %s" % (label, kv["connect"], kv["read"], kv["write"], kv["timeout"]))
    if over:
        bad = [c for c in codes.split(",") if c != "-" and not c.startswith("429:")]
        if bad:
            failures.append("%s: non-2xx other than 429: %s" % (label, ",".join(bad)))
    elif non2xx:
        failures.append("%s: %d non-2xx answers (%s)" % (label, non2xx, codes))
    if int(kv["requests"]) == 0:
        failures.append("%s: no request completed" % label)

# --- SSE ---
doc = json.load(open(os.path.join(work, "sse.json")))
clients = doc["clients"]
fast = [c for c in clients if not c["slow"]]
slow = [c for c in clients if c["slow"]]
expected = after - before
log_times = []  # (epoch seconds, phase name) of each "checked N containers" line, in order
for line in open(os.path.join(work, "docksmith.log")):
    if re.search(r"checked [0-9,]* containers in", line):
        m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", line)
        t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) + float("0." + (m.group(2) or "0")) if m else None
        log_times.append(t)
log_times = log_times[before:after]

def phase_of(t):
    ms = t * 1000
    for kv in phases:
        if int(kv["start_ms"]) <= ms <= int(kv["end_ms"]):
            return kv["name"]
    return "between phases"

bad_status = [c["id"] for c in fast if c["status"] != 200]
ended = [c["id"] for c in fast if c["ended"]]
errored = [(c["id"], c["error"]) for c in fast if c["error"]]
dropped = [(c["id"], c["dropped"]) for c in fast if c["dropped"]]
short_started = [(c["id"], c["started"]) for c in fast if c["started"] < expected]
short_complete = [(c["id"], c["complete"]) for c in fast if c["complete"] < expected]
lags, spreads = {}, {}
arrivals = [c["complete_times"][-expected:] for c in fast if expected and len(c["complete_times"]) >= expected]
for times in arrivals:
    for t_client, t_log in zip(times, log_times):
        if t_log is not None:
            lags.setdefault(phase_of(t_log), []).append((t_client - t_log) * 1000)
if arrivals:
    for k, t_log in enumerate(log_times):
        at = [times[k] for times in arrivals]
        spreads.setdefault(phase_of(t_log) if t_log is not None else "between phases", []).append((max(at) - min(at)) * 1000)
def dist(v):
    v = sorted(v)
    return "%.1f / %.1f / %.1f" % (statistics.median(v), v[min(len(v) - 1, int(len(v) * 0.99))], v[-1])
def rng(key):
    v = [c[key] for c in fast]
    return "%d" % v[0] if min(v) == max(v) else "%d..%d" % (min(v), max(v))
print()
print("| event streams: %d normal clients + %d slow (reads %s bytes/s, 4 KiB receive buffer) | value |" % (len(fast), len(slow), env["SLOW_BYTES"]))
print("|---|---|")
print("| normal clients answered 200 / stayed open / no client error | %d / %d / %d of %d |" % (
    len(fast) - len(bad_status), len(fast) - len(ended), len(fast) - len(errored), len(fast)))
print("| checks Docksmith ran while they listened (its log) | %d |" % expected)
print("| check.progress started / complete received per normal client (min..max) | %s / %s |" % (rng("started"), rng("complete")))
print("| events received per normal client (min..max) | %s |" % rng("events"))
print("| events Docksmith dropped for normal clients (system.events_dropped) | %d |" % sum(c["dropped"] for c in fast))
for name in [kv["name"] for kv in phases] + ["between phases"]:
    v = lags.get(name)
    if v:
        print("| %s: complete delivered after Docksmith's log line, median / p99 / max ms (%d deliveries); "
              "spread of one check's arrivals across normal clients, median / p99 / max ms | %s; %s |" % (
              name, len(v), dist(v), dist(spreads.get(name, [0]))))
for c in slow:
    print("| slow client: bytes read / events / started / complete / dropped notices read | %d / %d / %d / %d / %d (status %s%s) |" % (
        c["bytes"], c["events"], c["started"], c["complete"], c["dropped"], c["status"], ", ended early" if c["ended"] else ""))
print("| Docksmith's unsent bytes (kernel Send-Q) on its %d stream connections after the load: largest / next largest | %d / %d |" % (
    stream_conns, sendq_max, sendq_next))
print()
print("JVM threads / resident memory: %d / %d MiB before the clients; %d / %d MiB with %d event streams open; "
      "%d / %d MiB after the load (streams still open); %d / %d MiB %s after the streams closed" % (
      idle[0], idle[1] // 1024, with_sse[0], with_sse[1] // 1024, len(clients), after_load[0], after_load[1] // 1024,
      closed[0], closed[1] // 1024, ("%s s" % released) if released != "none" else "still, %s s" % env["AFTER_WAIT"]))
print("GET /api/health after everything: %s; /api/operations listed %s operations; the engine ran %s containers (%s of this run)" % (
    health, ops, engine_containers, env["CONTAINERS"]))
print("command: %s" % env["invocation"])
print("Docksmith: %s" % java_cmd)

if bad_status:
    failures.append("SSE: %d normal clients did not get 200: ids %s" % (len(bad_status), bad_status[:20]))
if ended:
    failures.append("SSE: %d normal streams ended early: ids %s" % (len(ended), ended[:20]))
if errored:
    failures.append("SSE: %d client errors: %s" % (len(errored), errored[:5]))
if dropped:
    failures.append("SSE: Docksmith dropped events for %d normal clients: %s" % (len(dropped), dropped[:10]))
if short_started or short_complete:
    failures.append("SSE: of %d checks, clients missed started %s / complete %s" % (expected, short_started[:10], short_complete[:10]))
if expected == 0:
    failures.append("SSE: no check ran while the clients listened")
if released == "none":
    failures.append("threads: %d JVM threads %s s after the event streams closed (%d before they opened): streams not released" % (
        closed[0], env["AFTER_WAIT"], idle[0]))
if health != "200":
    failures.append("GET /api/health answered %s after the load" % health)
for c in slow:
    if c["status"] != 200:
        failures.append("SSE: the slow client got %s" % c["status"])
warnings = open(os.path.join(work, "warnings.txt")).read().strip()
if warnings:
    print("Docksmith warnings and errors (count, message):")
    for line in warnings.splitlines()[:10]:
        print("  " + line)
print()
if failures:
    print("FAILURES:")
    for f in failures:
        print("  - " + f)
    print("LOAD_RESULT fail %d" % len(failures))
    sys.exit(1)
print("no request failed; every normal event stream received every check's events")
print("LOAD_RESULT pass")
EOF
