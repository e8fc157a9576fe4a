#!/usr/bin/env bash
# Time of one compose-service update through Docksmith against the raw commands a user would type,
# median / min / max of RUNS each, and the ratio of the medians (target: Docksmith at most 10 % over raw).
# The scenario: a temporary compose.yaml with one service `web` (image localhost:5000/docksmith/demo,
# network_mode none) under a project name unique to this run, moved between tags 1.0.0 and 1.1.0.
#   raw        the tag edited in the file with sed (not timed), then timed:
#              `docker compose -p P -f F pull web && docker compose -p P -f F up -d web`;
#   Docksmith  the fat jar (scripts/jvm.options, DOCKSMITH_HEALTH_GRACE=0s so no health wait,
#              CHECK_INTERVAL=0), timed on the client from POST /api/update {"container","version"} until
#              the operation's final update.progress event on GET /api/events (opened before the POST, as
#              a UI follows an update); POLL_MS=N polls GET /api/operations/{id} every N ms instead (a new
#              connection per request, as curl makes). failed or rolled_back ends the script. Its server-side time (completed_at -
#              started_at of the operation) is the second Docksmith figure.
# One warm-up of each, then RUNS rounds; the two alternate in order (raw first, then Docksmith first,
# ...) and both move the service to the other tag each time, so every direction and position is
# measured by both, and machine noise falls on both. SETTLE seconds between updates let Docksmith's
# re-check after an update finish before the next one starts. Below the table: the parts of each as
# measured (raw pull / up) and as Docksmith logs them (each compose CLI call it runs, the POST itself),
# Docksmith's CPU per update (polls included), and after it GET /api/health latency on a new and on a
# kept-alive connection and Docksmith's CPU per status poll. POLL_MS=500 shows what the polling costs.
# Needs a running engine with the demo images and their registry (scripts/test-env.sh up), python3.
# Creates one compose project (its container carries dev.docksmith.bench.run=<this run>) and a
# temporary directory, and removes exactly those; stops only the processes it started.
#   bench/update.sh            RUNS=5 FLAVOUR=v2 SETTLE=0.5 POLL_MS=0 JAVA=java JAR=dist/target/docksmith.jar
#                              FLAVOUR=v1 uses docker-compose instead of docker compose
#                              KEEP_WORK=1 keeps the compose file and the logs (Docksmith, compose) in /tmp
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
invocation="RUNS=${RUNS:-5} FLAVOUR=${FLAVOUR:-v2} SETTLE=${SETTLE:-0.5} POLL_MS=${POLL_MS:-0} bench/update.sh"
RUNS=${RUNS:-5}
FLAVOUR=${FLAVOUR:-v2}
SETTLE=${SETTLE:-0.5}
POLL_MS=${POLL_MS:-0}
JAVA=${JAVA:-java}
REPO=${REPO:-localhost:5000/docksmith/demo}
case $FLAVOUR in
  v2) compose=(docker compose) ;;
  v1) compose=(docker-compose) ;;
  *) echo "update.sh: FLAVOUR must be v1 or v2, not $FLAVOUR" >&2; exit 1 ;;
esac
JAR=${JAR:-dist/target/docksmith.jar}   # bench/run.sh passes a copy, so a rebuild meanwhile changes nothing
[ -f "$JAR" ] || mvn -B -q -Dmaven.test.skip=true package -pl dist -am
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

work=$(mktemp -d /tmp/docksmith-update.XXXXXX)
run="u$$"
project="docksmith-bench-update-$run"
file="$work/compose.yaml"
pid=""; up=0
cleanup() {  # every step guarded: under set -e a failing step would end the trap before the rest
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ "$up" = 1 ]; then "${compose[@]}" -p "$project" -f "$file" down -t 2 >/dev/null 2>&1 || true; fi
  local ids
  ids=$(docker ps -aq --filter "label=dev.docksmith.bench.run=$run" 2>/dev/null || true)
  if [ -n "$ids" ]; then docker rm -f $ids >/dev/null 2>&1 || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs kept in $work" >&2; else rm -rf "$work" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
stats() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) {print "n/a | n/a | n/a"; exit}
  m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.0f | %.0f | %.0f\n", m, a[1], a[NR]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }
hz=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$hz" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }  # user+system CPU of a process
die() { echo "update.sh: $*" >&2; exit 1; }

docker info >/dev/null 2>&1 || die "no Docker engine answers (scripts/test-env.sh up)"
for v in 1.0.0 1.1.0; do
  docker image inspect "$REPO:$v" >/dev/null 2>&1 || die "image $REPO:$v is missing (scripts/test-env.sh up)"
done
"${compose[@]}" version >/dev/null 2>&1 || die "${compose[*]} does not run"

# --- the compose project --------------------------------------------------------------------------
cat >"$file" <<EOF
services:
  web:
    image: $REPO:1.0.0
    network_mode: none
    labels:
      dev.docksmith.bench.run: "$run"
EOF
up=1
"${compose[@]}" -p "$project" -f "$file" up -d web >"$work/compose-initial.log" 2>&1 \
  || { cat "$work/compose-initial.log" >&2; die "the initial up failed"; }
name=$(docker ps --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=web" \
  --format '{{.Names}}')
[ -n "$name" ] && [ "$(wc -l <<<"$name")" = 1 ] || die "expected one container of $project/web, found: '$name'"
current=1.0.0
running_tag() { docker inspect --format '{{.Config.Image}}' "$name" | sed 's/.*://'; }
other() { if [ "$1" = 1.0.0 ]; then echo 1.1.0; else echo 1.0.0; fi; }

# --- raw ------------------------------------------------------------------------------------------
raw_update() {  # raw_update TAG: edits the file, prints "total-ms pull-ms up-ms"
  local tag=$1 t0 t1 t2
  sed -i -E "s#(image: $REPO:)[0-9.]+#\1$tag#" "$file"
  grep -q "image: $REPO:$tag\$" "$file" || die "sed did not set $tag in $file"
  t0=$(now_ns)
  "${compose[@]}" -p "$project" -f "$file" pull web >>"$work/compose-raw.log" 2>&1 || die "raw pull failed (see $work/compose-raw.log)"
  t1=$(now_ns)
  "${compose[@]}" -p "$project" -f "$file" up -d web >>"$work/compose-raw.log" 2>&1 || die "raw up failed (see $work/compose-raw.log)"
  t2=$(now_ns)
  [ "$(running_tag)" = "$tag" ] || die "after the raw update $name runs $(running_tag), not $tag"
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {printf "%.1f %.1f %.1f\n", (c - a) / 1e6, (b - a) / 1e6, (c - b) / 1e6}'
}

# --- Docksmith ------------------------------------------------------------------------------------
port=$(free_port)
dslog="$work/docksmith.log"
java_cmd=(env DOCKSMITH_HEALTH_GRACE=0s CHECK_INTERVAL=0 "$JAVA" "${jvm_options[@]}" -jar "$JAR"
  --port "$port" --data "$work/data")
"${java_cmd[@]}" >"$dslog" 2>&1 &
pid=$!
while :; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$dslog" >&2; die "Docksmith exited"; }
  sleep 0.01
done

docksmith_update() {  # docksmith_update TAG: prints "client-ms server-ms operation-id"
  python3 - "$port" "$name" "$1" "$POLL_MS" <<'EOF'
import http.client, json, re, sys, time
port, name, version, poll = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]) / 1000

def instant(s):  # Instant.toString(): 2026-11-26T23:19:53.139123456Z -> seconds since the epoch
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", s)
    if not m:
        sys.exit("update.sh: unexpected timestamp %r" % s)
    import calendar
    return calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) + float("0." + (m.group(2) or "0"))

def data(resp):
    body = resp.read()
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if resp.status != 200 or not isinstance(doc, dict):
        sys.exit("update.sh: %s answered %d: %s" % (what, resp.status, body[:300].decode("utf-8", "replace")))
    return doc.get("data", doc)

def call(method, path, body=None):
    # A new connection per request, as curl makes: on a kept-alive one each answer of the JDK's HTTP
    # server waits ~40 ms for a delayed ACK (Nagle), which the keep-alive probe line shows.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
        return data(conn.getresponse())
    finally:
        conn.close()

# The client follows the update the way a UI does: on the event stream, opened before the POST, until
# the operation's final update.progress; no polling adds load or rounds the time up. POLL_MS>0 polls
# GET /api/operations/{id} instead.
events = None
if poll <= 0:
    events = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    events.request("GET", "/api/events")
    stream = events.getresponse()
what = "POST /api/update"
t0 = time.monotonic()
op_id = call("POST", "/api/update", json.dumps({"container": name, "version": version}))["operation_id"]
what = "GET /api/operations/" + op_id
if events is not None:
    while True:
        line = stream.readline()
        if not line:
            sys.exit("update.sh: the event stream ended before operation %s did" % op_id)
        if not line.startswith(b"data:"):
            continue
        event = json.loads(line[5:])
        payload = event.get("payload", {})
        if event.get("type") == "update.progress" and payload.get("operation_id") == op_id \
                and payload.get("stage") in ("complete", "failed", "rolled_back"):
            t1 = time.monotonic()
            break
    events.close()
    op = call("GET", "/api/operations/" + op_id)
    if op.get("status") != "complete":
        sys.exit("update.sh: operation %s of %s to %s ended %s: %s" % (op_id, name, version, op.get("status"), op.get("error")))
else:
    while True:
        op = call("GET", "/api/operations/" + op_id)
        status = op.get("status")
        if status == "complete":
            t1 = time.monotonic()
            break
        if status in ("failed", "rolled_back"):
            sys.exit("update.sh: operation %s of %s to %s ended %s: %s" % (op_id, name, version, status, op.get("error")))
        if time.monotonic() - t0 > 300:
            sys.exit("update.sh: operation %s still %s after 300 s" % (op_id, status))
        time.sleep(poll)
server = (instant(op["completed_at"]) - instant(op["started_at"])) * 1000
print("%.1f %.1f %s" % ((t1 - t0) * 1000, server, op_id))
EOF
}

# What Docksmith logged for one update (log lines FROM..TO): "pull-ms up-ms other-cli-ms other-cli-calls post-ms"
logged_parts() {
  sed -n "$1,$2p" "$dslog" | awk '
    / -> exit [0-9-]+ in [0-9,]+ ms/ {  # the log groups thousands: "in 1,728 ms"
      ms = $0; sub(/.* in /, "", ms); sub(/ ms.*/, "", ms); gsub(/,/, "", ms)
      if ($0 ~ / pull web \(in /) pull += ms
      else if ($0 ~ / up -d .*web \(in /) up += ms
      else { other += ms; calls++ }
    }
    /POST \/api\/update [0-9]+ [0-9,]+ms/ { p = $0; sub(/.*POST \/api\/update [0-9]+ /, "", p); sub(/ms.*/, "", p); gsub(/,/, "", p); post += p }
    END { printf "%d %d %d %d %d\n", pull, up, other, calls, post }'
}
lines() { wc -l <"$dslog"; }

# --- the runs ---------------------------------------------------------------------------------------
last_from=1; raw_t=(); raw_pull=(); raw_up=(); ds_client=(); ds_server=(); ds_pull=(); ds_up=(); ds_other=(); ds_calls=(); ds_post=(); ds_rest=(); ds_cpu=()
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -n1); $("${compose[@]}" version 2>/dev/null | head -n1); engine $(docker version --format '{{.Server.Version}}')"
echo "service: $name (project $project, $file)"
one_raw() {  # one_raw ROUND
  local tag out
  tag=$(other "$current")
  out=$(raw_update "$tag")
  current=$tag
  read -r t p u <<<"$out"
  if [ "$1" -gt 0 ]; then raw_t+=("$t"); raw_pull+=("$p"); raw_up+=("$u"); fi
  echo "  round $1 raw       -> $tag: $t ms (pull $p, up $u)"
  sleep "$SETTLE"
}
one_docksmith() {  # one_docksmith ROUND
  local tag out from to c0 cpu
  tag=$(other "$current")
  from=$(( $(lines) + 1 )); last_from=$from
  c0=$(cpu_ms "$pid")
  out=$(docksmith_update "$tag") || exit 1
  cpu=$(( $(cpu_ms "$pid") - c0 ))
  current=$tag
  [ "$(running_tag)" = "$tag" ] || die "after the Docksmith update $name runs $(running_tag), not $tag"
  grep -q "image: $REPO:$tag\$" "$file" || die "Docksmith did not set $tag in $file"
  sleep "$SETTLE"
  to=$(lines)
  read -r c s op <<<"$out"
  read -r lp lu lo lc lpost <<<"$(logged_parts "$from" "$to")"
  if [ "$1" -gt 0 ]; then
    ds_client+=("$c"); ds_server+=("$s"); ds_cpu+=("$cpu")
    ds_pull+=("$lp"); ds_up+=("$lu"); ds_other+=("$lo"); ds_calls+=("$lc"); ds_post+=("$lpost")
    ds_rest+=("$(awk -v s="$s" -v a="$lp" -v b="$lu" -v c="$lo" 'BEGIN {printf "%.1f", s - a - b - c}')")
  fi
  echo "  round $1 Docksmith -> $tag: $c ms client, $s ms server ($op; logged: pull $lp, up $lu, $lc other CLI calls $lo, POST $lpost; Docksmith CPU $cpu ms)"
}
for round in $(seq 0 "$RUNS"); do
  if [ "$round" = 0 ]; then echo "warm-up (not counted):"; elif [ "$round" = 1 ]; then echo "measured:"; fi
  if (( round % 2 == 0 )); then one_raw "$round"; one_docksmith "$round"; else one_docksmith "$round"; one_raw "$round"; fi
done
if grep -Eq ' (WARNING|WARN|ERROR|SEVERE) ' "$dslog"; then
  echo "Docksmith warnings:"; grep -E ' (WARNING|WARN|ERROR|SEVERE) ' "$dslog" | sed -E 's/^[^ ]+ //' | sort | uniq -c | sort -rn | head -n 5
fi

# The API's latency on a new connection and on a kept-alive one (what browsers use), GET /api/health.
api_latency=$(python3 - "$port" <<'EOF'
import http.client, statistics, sys, time
port = int(sys.argv[1])
def get(conn):
    t = time.monotonic(); conn.request("GET", "/api/health"); conn.getresponse().read(); return (time.monotonic() - t) * 1000
fresh = []
for _ in range(9):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10); fresh.append(get(c)); c.close()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10); get(c)
kept = [get(c) for _ in range(9)]
print("%.1f %.1f" % (statistics.median(fresh), statistics.median(kept)))
EOF
)
# Docksmith's CPU for one status poll: 50 GET /api/operations/{id} on new connections, as the runs polled.
c0=$(cpu_ms "$pid")
python3 - "$port" "$op" <<'EOF'
import http.client, sys
for _ in range(50):
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
    c.request("GET", "/api/operations/" + sys.argv[2]); c.getresponse().read(); c.close()
EOF
poll_cpu=$(awk -v a="$c0" -v b="$(cpu_ms "$pid")" 'BEGIN {printf "%.1f", (b - a) / 50}')

# --- the table ------------------------------------------------------------------------------------
m_raw=$(printf '%s\n' "${raw_t[@]}" | median)
m_client=$(printf '%s\n' "${ds_client[@]}" | median)
m_server=$(printf '%s\n' "${ds_server[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {r = a / b; printf "%.2f %s", r, (r <= 1.10 ? "✓" : "✗")}'; }
echo
echo "| update of one compose service, $FLAVOUR (${compose[*]}), ms, $RUNS runs | median | min | max |"
echo "|---|---|---|---|"
echo "| raw: pull web && up -d web | $(printf '%s\n' "${raw_t[@]}" | stats) |"
echo "| · pull | $(printf '%s\n' "${raw_pull[@]}" | stats) |"
echo "| · up -d | $(printf '%s\n' "${raw_up[@]}" | stats) |"
echo "| Docksmith, client: POST /api/update until status complete | $(printf '%s\n' "${ds_client[@]}" | stats) |"
echo "| Docksmith, server: completed_at - started_at | $(printf '%s\n' "${ds_server[@]}" | stats) |"
echo "| · pull (its log) | $(printf '%s\n' "${ds_pull[@]}" | stats) |"
echo "| · up -d --no-deps --force-recreate (its log) | $(printf '%s\n' "${ds_up[@]}" | stats) |"
echo "| · other CLI calls: $(printf '%s\n' "${ds_calls[@]}" | median) per update (its log) | $(printf '%s\n' "${ds_other[@]}" | stats) |"
echo "| · the rest of the server time (server - CLI calls) | $(printf '%s\n' "${ds_rest[@]}" | stats) |"
echo "| · POST /api/update itself (its access log) | $(printf '%s\n' "${ds_post[@]}" | stats) |"
echo "| Docksmith CPU time per update, user+sys, polling included | $(printf '%s\n' "${ds_cpu[@]}" | stats) |"
echo "| ratio Docksmith client / raw (medians), target ≤ 1.10 | $(ratio "$m_client" "$m_raw") | | |"
echo "| ratio Docksmith server / raw (medians) | $(ratio "$m_server" "$m_raw") | | |"
echo
echo "GET /api/health, median of 9: $(cut -d' ' -f1 <<<"$api_latency") ms on a new connection, $(cut -d' ' -f2 <<<"$api_latency") ms on a kept-alive one; Docksmith CPU per status poll $poll_cpu ms"
echo "command: $invocation"
echo "BENCH_UPDATE flavour=$FLAVOUR runs=$RUNS raw_ms=$m_raw client_ms=$m_client server_ms=$m_server"
echo "raw:       sed -i (tag) $file; ${compose[*]} -p $project -f $file pull web && ${compose[*]} -p $project -f $file up -d web"
echo "Docksmith: ${java_cmd[*]}"
if [ "$POLL_MS" -gt 0 ]; then follow="GET /api/operations/<id> every $POLL_MS ms"; else follow="the final update.progress on GET /api/events"; fi
echo "           POST http://127.0.0.1:$port/api/update {\"container\":\"$name\",\"version\":<tag>}, then $follow"
echo "Docksmith's compose calls (last update):"
tail -n +"$last_from" "$dslog" | grep -E ' -> exit ' | sed -E 's/^[^ ]+ +[A-Z]+ +[^ ]+ //' | sed 's/^/  /' || true
