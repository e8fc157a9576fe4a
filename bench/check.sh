#!/usr/bin/env bash
# Update-check figures for the fat jar on N containers over R repositories of a registry, on bare
# loopback and with 25 ms of round-trip time added, printed as a table beside the targets:
#   cold  GET /api/check: the first check after start-up (new connections, new tokens), median of RUNS starts;
#   warm  GET /api/check: drops cached registry answers, keeps connections and tokens; median of RUNS after one warm-up;
#   steady the same after STEADY_AFTER more checks (the JIT has compiled the check's code by then, as in a
#         daemon that has run a while), with the CPU time Docksmith, the registry and the proxy spend per check;
#   cached POST /api/trigger-check: the background check on cached answers, its duration as Docksmith logs it
#         ("checked N containers in X ms"), median of RUNS after one warm-up;
#   registry requests of one warm check, counted in the access log of a registry this script starts;
#   replay: those same requests sent again by curl all at once, each on a new connection, median of RUNS
#         (what any client asking them must wait for on this machine);
#   resident memory (VmRSS) of the java process after the runs, 10 s later, and its peak (VmHWM).
# Each repository has tags 1.0.0, 1.1.0, 1.2.0, 2.0.0 and latest (= 2.0.0), every version its own digest
# (FROM the demo image + LABELs); the containers spread over repositories and tags, at most 3 tags a
# repository (60 running tags for R=20). The registry (docker-registry, own config, storage and log in a
# temporary directory) listens on 127.0.0.1:REG_PORT; bench/delay_proxy.py forwards 127.0.0.1:PROXY_PORT
# to it holding every chunk 12.5 ms each way (a new connection pays one more round trip). The RTT
# scenario's images are pushed and its containers run as localhost:PROXY_PORT/..., so Docksmith goes
# through the proxy. Needs a running engine with the demo image (scripts/test-env.sh up), python3, curl.
# Creates only images and containers labelled dev.docksmith.bench.run=<this run> and removes exactly those;
# stops only the processes it started.
#   bench/check.sh             N=100 R=20 RUNS=5 REG_PORT=5100 PROXY_PORT=5101 CONDITIONS="loopback rtt" JAVA=java
#                              JAR=dist/target/docksmith.jar
#                              KEEP_WORK=1 keeps the logs (registry, proxy, Docksmith, check JSON) in /tmp
#                              HOLD=1 sets each condition up and waits with Docksmith running, for profiling
#                              SETTLE_MAX=60 IDLE_PCT=80: after creating the containers, wait (at most SETTLE_MAX s) until
#                              the CPUs were IDLE_PCT % idle for a second, so the engine's start-up work is not measured
#                              STEADY_AFTER=30: checks run (untimed) between the warm figures and the steady-state ones
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
N=${N:-100}
R=${R:-20}
RUNS=${RUNS:-5}
JAVA=${JAVA:-java}
JOBS=${JOBS:-8}
REG_PORT=${REG_PORT:-5100}
PROXY_PORT=${PROXY_PORT:-5101}
CONDITIONS=${CONDITIONS:-loopback rtt}
SETTLE_MAX=${SETTLE_MAX:-60}
STEADY_AFTER=${STEADY_AFTER:-30}
IDLE_PCT=${IDLE_PCT:-80}
BASE=${BASE:-localhost:5000/docksmith/demo:1.0.0}
REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}
TAGS=(1.0.0 1.1.0 1.2.0 2.0.0 latest)
JAR=${JAR:-dist/target/docksmith.jar}   # bench/run.sh passes a copy, so a rebuild meanwhile changes nothing
[ -f "$JAR" ] || mvn -B -q -Dmaven.test.skip=true package -pl dist -am
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

work=$(mktemp -d /tmp/docksmith-check.XXXXXX)
run="b$$"                       # in every image and container name and in the dev.docksmith.bench.run label
repo_prefix="docksmith-bench-$run"
pid=""; registry_pid=""; proxy_pid=""
cleanup() {  # every step guarded: under set -e a failing step would end the trap before the rest
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  local ids
  { docker ps -aq --filter "label=dev.docksmith.bench.run=$run" 2>/dev/null | rm_containers; } 2>/dev/null || true
  ids=$(docker images -q --filter "label=dev.docksmith.bench.run=$run" 2>/dev/null | sort -u || true)
  if [ -n "$ids" ]; then docker rmi -f $ids >/dev/null 2>&1 || true; fi
  if [ -n "$proxy_pid" ]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs kept in $work" >&2; else rm -rf "$work" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_free() { python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1",int(sys.argv[1])))' "$1" 2>/dev/null; }
hz=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$hz" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }  # user+system CPU of a process
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
die() { echo "check.sh: $*" >&2; exit 1; }

for p in "$REG_PORT" "$PROXY_PORT"; do port_free "$p" || die "port $p is in use (set REG_PORT / PROXY_PORT)"; done
docker image inspect "$BASE" >/dev/null 2>&1 || die "base image $BASE is missing (scripts/test-env.sh up)"

# --- the dedicated registry and the delaying proxy ------------------------------------------------
mkdir -p "$work/registry-data"
cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $work/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
  secret: docksmith-bench-$run
EOF
reglog="$work/registry.log"
"$REGISTRY_BIN" serve "$work/registry.yml" >"$reglog" 2>&1 &
registry_pid=$!
for _ in $(seq 1 200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REG_PORT/v2/" || true)" = 200 ] && break
  kill -0 "$registry_pid" 2>/dev/null || { cat "$reglog" >&2; die "the registry exited"; }
  sleep 0.05
done
python3 bench/delay_proxy.py "$PROXY_PORT" "$REG_PORT" 12.5 >"$work/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 200); do grep -q ready "$work/proxy.log" 2>/dev/null && break; sleep 0.05; done
grep -q ready "$work/proxy.log" || { cat "$work/proxy.log" >&2; die "the proxy did not start"; }

# The proxy's cost, measured: one request on a new connection, and a second on the same connection.
rtt_probe() {  # rtt_probe PORT: "new-connection-ms reused-ms" (medians of 5)
  local port=$1 a=() b=() out
  for _ in 1 2 3 4 5; do
    out=$(curl -s -o /dev/null -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/v2/" "http://127.0.0.1:$port/v2/")
    a+=("$(sed -n 1p <<<"$out")"); b+=("$(sed -n 2p <<<"$out")")
  done
  echo "$(printf '%s\n' "${a[@]}" | median | awk '{printf "%.1f", $1*1000}') $(printf '%s\n' "${b[@]}" | median | awk '{printf "%.1f", $1*1000}')"
}
read -r direct_new direct_reused <<<"$(rtt_probe "$REG_PORT")"
read -r proxy_new proxy_reused <<<"$(rtt_probe "$PROXY_PORT")"
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -n1); registry $("$REGISTRY_BIN" --version 2>/dev/null | awk '{print $NF}') on 127.0.0.1:$REG_PORT, delaying proxy on 127.0.0.1:$PROXY_PORT"
echo "GET /v2/ direct: ${direct_new} ms on a new connection, ${direct_reused} ms reused; through the proxy: ${proxy_new} ms new, ${proxy_reused} ms reused"

# --- images: R repositories x 4 versions (+ latest), pushed under both addresses -----------------
export BASE run work
build_one() {  # build_one REF REPO VERSION
  printf 'FROM %s\nLABEL dev.docksmith.bench=true dev.docksmith.bench.run=%s bench.repository=%s bench.version=%s\n' \
    "$BASE" "$run" "$2" "$3" | DOCKER_BUILDKIT=0 docker build -q -t "$1" - >/dev/null 2>"$work/build-$2-$3.err" \
    || { cat "$work/build-$2-$3.err" >&2; return 1; }
}
push_all() {  # push_all REPOSITORY (every tag)
  docker push -q --all-tags "$1" >/dev/null 2>"$work/push-$(tr '/:' '__' <<<"$1").err" \
    || { cat "$work/push-$(tr '/:' '__' <<<"$1").err" >&2; return 1; }
}
export -f build_one push_all
t0=$(now_ms)
for r in $(seq -w 1 "$R"); do
  for v in 1.0.0 1.1.0 1.2.0 2.0.0; do echo "localhost:$REG_PORT/$repo_prefix/r$r:$v r$r $v"; done
done | xargs -P "$JOBS" -L 1 bash -c 'build_one "$@"' _
for r in $(seq -w 1 "$R"); do
  docker tag "localhost:$REG_PORT/$repo_prefix/r$r:2.0.0" "localhost:$REG_PORT/$repo_prefix/r$r:latest"
  for t in "${TAGS[@]}"; do docker tag "localhost:$REG_PORT/$repo_prefix/r$r:$t" "localhost:$PROXY_PORT/$repo_prefix/r$r:$t"; done
done
for host in "localhost:$REG_PORT" "localhost:$PROXY_PORT"; do
  for r in $(seq -w 1 "$R"); do echo "$host/$repo_prefix/r$r"; done | xargs -P "$JOBS" -L 1 bash -c 'push_all "$@"' _
done
digests=$(docker images --digests --format '{{.Repository}} {{.Tag}} {{.Digest}}' --filter "label=dev.docksmith.bench.run=$run" \
  | awk -v p="localhost:$REG_PORT/" 'index($1, p) == 1 && $2 != "latest" {print $3}' | sort -u | wc -l)
[ "$digests" -eq $((R * 4)) ] || die "expected $((R * 4)) distinct digests, found $digests"
echo "images: $R repositories x ${#TAGS[@]} tags, $digests distinct digests, built and pushed in $(( ($(now_ms) - t0) / 1000 )) s"

# --- containers ---------------------------------------------------------------------------------
# Container i runs repository i mod R, with one of 3 tags of that repository (which 3 rotates by
# repository, so latest and every version appear): at most 3R running tags.
tag_of() { local i=$1 r=$(( $1 % R )); echo "${TAGS[$(( (r + (i / R) % 3) % 5 ))]}"; }
repo_of() { printf 'r%0*d' "${#R}" $(( $1 % R + 1 )); }
expected_updates=0
for i in $(seq 0 $((N - 1))); do case $(tag_of "$i") in 2.0.0|latest) ;; *) expected_updates=$((expected_updates + 1)) ;; esac; done
running_tags=$(for i in $(seq 0 $((N - 1))); do echo "$(repo_of "$i"):$(tag_of "$i")"; done | sort -u | wc -l)

run_containers() {  # run_containers CONDITION HOST
  local cond=$1 host=$2 i
  for i in $(seq 0 $((N - 1))); do
    echo "bench-check-$run-$cond-$i $host/$repo_prefix/$(repo_of "$i"):$(tag_of "$i")"
  done | xargs -P "$JOBS" -L 1 bash -c 'docker run -d --name "$1" --label dev.docksmith.bench=true \
      --label "dev.docksmith.bench.run=$run" --network none "$2" >/dev/null' _
}
# 20 containers per `docker rm -f`, 2 at a time: one `docker rm -f` of 1,000 containers kills them all
# at once, and dockerd 20.10 then lost exit events and hung every removal (seen once here).
rm_containers() { xargs -r -n 20 -P 2 docker rm -f >/dev/null; }
remove_containers() {
  docker ps -aq --filter "label=dev.docksmith.bench.run=$run" | rm_containers
}

# --- Docksmith ----------------------------------------------------------------------------------
port=""; dslog=""
start_docksmith() {  # start_docksmith NAME: sets pid, port, dslog
  port=$(free_port); dslog="$work/docksmith-$1.log"
  "$JAVA" "${jvm_options[@]}" -jar "$JAR" --port "$port" --data "$work/data-$1" --check-interval 0 \
    >"$dslog" 2>&1 &
  pid=$!
  while :; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dslog" >&2; die "Docksmith exited"; }
    sleep 0.01
  done
}
stop_docksmith() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }
timed_check() {  # timed_check OUT: prints wall ms; fails unless 200
  local out=$1 res code secs
  res=$(curl -s -o "$out" -w '%{http_code} %{time_total}' "http://127.0.0.1:$port/api/check")
  read -r code secs <<<"$res"
  if [ "$code" != 200 ]; then
    echo "GET /api/check answered $code: $(head -c 300 "$out")" >&2
    return 1
  fi
  awk -v s="$secs" 'BEGIN {printf "%.1f", s * 1000}'
}
settle() {  # waits (at most SETTLE_MAX s) until the CPUs were IDLE_PCT % idle over one second: the engine has done starting containers
  local i a b busy total
  for i in $(seq 1 "$SETTLE_MAX"); do
    read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
    total=$(( (b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7] + a[8]) ))
    busy=$(( total - (b[4] + b[5] - a[4] - a[5]) ))
    if [ $(( busy * 100 )) -le $(( total * (100 - IDLE_PCT) )) ]; then echo "CPUs ${IDLE_PCT} % idle after $i s"; return; fi
  done
  echo "CPUs still busy after $SETTLE_MAX s (measuring anyway)"
}
checked_lines() { grep -c 'checked [0-9,]* containers in' "$dslog" || true; }
cached_check() {  # one POST /api/trigger-check; prints the duration Docksmith logged for it, in ms
  local before code
  before=$(checked_lines)
  code=$(curl -s -o "$work/trigger.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/trigger-check")
  [ "$code" = 200 ] || { echo "POST /api/trigger-check answered $code: $(head -c 300 "$work/trigger.json")" >&2; return 1; }
  for _ in $(seq 1 3000); do
    [ "$(checked_lines)" -gt "$before" ] && break
    sleep 0.01
  done
  grep 'checked [0-9,]* containers in' "$dslog" | tail -n 1 | grep -v 'refreshed' \
    | sed -E 's/.*containers in ([0-9,]+) ms.*/\1/' | tr -d ,
}

# Registry requests between two markers (GETs of a nonexistent repository, sent straight to the registry).
mark() { curl -s -o /dev/null "http://127.0.0.1:$REG_PORT/v2/_bench_marker_$1/tags/list"; }
requests_between() {  # requests_between M1 M2: "tags heads gets other other-detail"
  for _ in $(seq 1 100); do grep -q "_bench_marker_$2/" "$reglog" && break; sleep 0.02; done
  awk -v m1="/v2/_bench_marker_$1/" -v m2="/v2/_bench_marker_$2/" '
    / HTTP\/[0-9.]+" [0-9]+ / {
      if (index($0, m1)) { on = 1; next }
      if (index($0, m2)) { on = 0; next }
      if (!on) next
      match($0, /"[A-Z]+ [^ ]+ HTTP/); split(substr($0, RSTART + 1, RLENGTH - 6), rq, " ")
      status = $0; sub(/.*HTTP\/[0-9.]+" /, "", status); sub(/ .*/, "", status)
      if (rq[1] == "GET" && rq[2] ~ /\/tags\/list/) tags++
      else if (rq[1] == "HEAD" && rq[2] ~ /\/manifests\//) heads++
      else if (rq[1] == "GET" && rq[2] ~ /\/manifests\//) gets++
      else { other++; n = split(rq[2], seg, "/"); d[rq[1] " " (n > 4 ? "/v2/<repo>/" seg[n - 1] "/<ref>" : rq[2])]++ }
      if (status !~ /^2/) bad[rq[1] " " status]++
    }
    END {
      det = ""; for (k in d) det = det (det == "" ? "" : ", ") k " x" d[k]
      for (k in bad) det = det (det == "" ? "" : ", ") "non-2xx " k " x" bad[k]
      printf "%d %d %d %d %s\n", tags, heads, gets, other, (det == "" ? "-" : det)
    }' "$reglog"
}

registry_times() {  # registry_times M1 M2: "median max connections": ms the registry took per request (its own log), client connections
  awk -v m1="/v2/_bench_marker_$1/" -v m2="/v2/_bench_marker_$2/" '
    / HTTP\/[0-9.]+" [0-9]+ / { if (index($0, m1)) on = 1; else if (index($0, m2)) on = 0; next }
    on && /response completed/ && match($0, /http\.response\.duration=[0-9.]+[^ ]*/) {
      v = substr($0, RSTART + 23, RLENGTH - 23); x = v + 0
      if (v ~ /ms$/) t = x; else if (v ~ /ns$/) t = x / 1e6; else if (v ~ /s$/ && v !~ /[mµ]s$/) t = x * 1000; else t = x / 1000
      a[++n] = t
      if (match($0, /http\.request\.remoteaddr="[^"]*"/)) conn[substr($0, RSTART, RLENGTH)] = 1
    }
    END {
      if (n == 0) { print "n/a n/a n/a"; exit }
      for (c in conn) conns++
      for (i = 2; i <= n; i++) { k = a[i]; for (j = i - 1; j >= 1 && a[j] > k; j--) a[j + 1] = a[j]; a[j + 1] = k }
      printf "%.1f %.1f %d\n", (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2), a[n], conns
    }' "$reglog"
}

summarise() {  # summarise JSON: containers of this run and statuses
  python3 - "$1" "bench-check-$run-" "$N" "$expected_updates" <<'EOF'
import collections, json, sys
doc = json.load(open(sys.argv[1]))
data = doc.get("data", doc)
cs = data.get("containers", [])
ours = [c for c in cs if str(c.get("name", "")).lstrip("/").startswith(sys.argv[2])]
st = collections.Counter(c.get("status") for c in ours)
upd = sum(1 for c in ours if c.get("update_available"))
errs = collections.Counter((c.get("error") or c.get("blocked_reason") or "")[:120] for c in ours if c.get("error") or c.get("blocked_reason"))
print("%d/%s ours (+%d others); %s; update_available %d (expected %s)%s" % (
    len(ours), sys.argv[3], len(cs) - len(ours), " ".join("%s=%d" % kv for kv in sorted(st.items())) or "no statuses",
    upd, sys.argv[4], ("; errors: " + " | ".join("%s x%d" % kv for kv in errs.most_common(3))) if errs else ""))
EOF
}

# The same requests again, all sent at once by curl, each on a new connection: what a client that knew
# them in advance and spent no time of its own could do. The registry's time for them is the floor of
# any check that asks them. replay M1 M2 PORT: "median-ms registry-cpu-ms-per-run" over RUNS runs.
replay() {
  local m1=$1 m2=$2 port=$3 cfg i out r0 ms=()
  cfg="$work/replay-$m1.curl"
  awk -v m1="/v2/_bench_marker_$m1/" -v m2="/v2/_bench_marker_$m2/" -v port="$port" '
    / HTTP\/[0-9.]+" [0-9]+ / {
      if (index($0, m1)) { on = 1; next }
      if (index($0, m2)) { on = 0; next }
      if (!on) next
      match($0, /"[A-Z]+ [^ ]+ HTTP/); split(substr($0, RSTART + 1, RLENGTH - 6), rq, " ")
      if (n++) print "next"
      print "url = \"http://127.0.0.1:" port rq[2] "\""
      if (rq[1] == "HEAD") print "head"
      print "header = \"Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json\""
      print "output = \"/dev/null\""
      print "write-out = \"%{http_code} %{time_total}\\n\""
    }' "$reglog" >"$cfg"
  curl -s --parallel --parallel-immediate --parallel-max 100 -K "$cfg" >/dev/null 2>&1  # warm-up
  r0=$(cpu_ms "$registry_pid")
  for i in $(seq 1 "$RUNS"); do
    out=$(curl -s --parallel --parallel-immediate --parallel-max 100 -K "$cfg" 2>/dev/null)  # a failure shows as a non-2xx code
    if grep -qv '^2' <<<"$out"; then echo "replay: a request failed: $(grep -v '^2' <<<"$out" | head -n 1)" >&2; echo "n/a n/a"; return; fi
    # Transfers start together, so the slowest one's time is the batch's (curl's own start-up excluded).
    ms+=("$(awk '{ if ($2 > t) t = $2 } END {printf "%.1f", t * 1000}' <<<"$out")")
  done
  echo "$(printf '%s\n' "${ms[@]}" | median) $(( ($(cpu_ms "$registry_pid") - r0) / RUNS ))"
}

declare -A fig
# CPU of the three processes a check involves (Docksmith, the registry, the delaying proxy) across RUNS
# checks: cpu_start before them, cpu_per_check COND KEY after, which sets fig[COND.KEYcpu], KEYregcpu,
# KEYproxycpu (0 on bare loopback: the proxy is not in the path) and KEYfloor, all that CPU over the cores.
# On a small machine the registry and proxy, not Docksmith, set that floor.
cpu_start() { c0=$(cpu_ms "$pid"); r0=$(cpu_ms "$registry_pid"); p0=$(cpu_ms "$proxy_pid"); }
cpu_per_check() {
  local cond=$1 k=$2
  fig[$cond.${k}cpu]=$(( ($(cpu_ms "$pid") - c0) / RUNS ))
  fig[$cond.${k}regcpu]=$(( ($(cpu_ms "$registry_pid") - r0) / RUNS ))
  fig[$cond.${k}proxycpu]=$(( ($(cpu_ms "$proxy_pid") - p0) / RUNS ))
  if [ "$cond" = loopback ]; then fig[$cond.${k}proxycpu]=0; fi
  fig[$cond.${k}floor]=$(( (fig[$cond.${k}cpu] + fig[$cond.${k}regcpu] + fig[$cond.${k}proxycpu]) / $(nproc) ))
}
# timed_checks COND KEY: RUNS timed GET /api/check with the three processes' CPU around them (cpu_per_check);
# sets fig[COND.KEY] (median ms) and fig[COND.KEY.all] (every run). Writes check-COND-KEY-<i>.json.
timed_checks() {
  local cond=$1 k=$2 i ms all=()
  cpu_start
  for i in $(seq 1 "$RUNS"); do
    ms=$(timed_check "$work/check-$cond-$k-$i.json") || return 1
    all+=("$ms")
  done
  cpu_per_check "$cond" "$k"
  fig[$cond.$k]=$(printf '%s\n' "${all[@]}" | median)
  fig[$cond.$k.all]="${all[*]}"
}
measure() {  # measure CONDITION HOST; called in an || list, so errexit is off here: every step checks itself
  local cond=$1 host=$2 i ms c0 cold=() cached=()
  ms=$(now_ms)
  run_containers "$cond" "$host" || return 1
  fig[$cond.create]=$(( $(now_ms) - ms ))
  echo "[$cond] $N containers on $running_tags running tags of $R repositories at $host"
  echo "[$cond] $N containers created and started in ${fig[$cond.create]} ms ($JOBS at a time); $(settle)"
  for i in $(seq 1 "$RUNS"); do
    if [ "$i" = 1 ]; then mark "$cond-cold-a"; fi
    start_docksmith "$cond-$i" || return 1
    ms=$(timed_check "$work/check-$cond-cold-$i.json") || return 1
    cold+=("$ms")
    if [ "$i" = 1 ]; then
      sleep 0.5; mark "$cond-cold-b"
      fig[$cond.coldreq]=$(requests_between "$cond-cold-a" "$cond-cold-b")
      fig[$cond.json]=$(summarise "$work/check-$cond-cold-$i.json")
    fi
    if [ "$i" -lt "$RUNS" ]; then stop_docksmith; fi
  done
  echo "[$cond] cold: ${cold[*]} ms; first check: ${fig[$cond.json]}"
  timed_check "$work/check-$cond-warmup.json" >/dev/null || return 1
  timed_checks "$cond" warm || return 1
  # Steady state: the warm checks above are a new JVM's 3rd to 7th, still running code the JIT has
  # not compiled yet. A daemon that has run for a while is past that: STEADY_AFTER more checks, then
  # RUNS timed ones, with the CPU of all three processes again.
  for i in $(seq 1 "$STEADY_AFTER"); do timed_check "$work/check-$cond-steady-warmup.json" >/dev/null || return 1; done
  timed_checks "$cond" steady || return 1
  echo "[$cond] steady (after $STEADY_AFTER more checks): ${fig[$cond.steady.all]} ms; CPU per check: Docksmith ${fig[$cond.steadycpu]}, registry ${fig[$cond.steadyregcpu]}, proxy ${fig[$cond.steadyproxycpu]} ms"
  fig[$cond.warm.json]=$(summarise "$work/check-$cond-warm-$RUNS.json")
  echo "[$cond] warm: ${fig[$cond.warm.all]} ms; last: ${fig[$cond.warm.json]}"
  mark "$cond-warm-a"; timed_check "$work/check-$cond-counted.json" >/dev/null || return 1; sleep 0.5; mark "$cond-warm-b"
  fig[$cond.req]=$(requests_between "$cond-warm-a" "$cond-warm-b")
  fig[$cond.regtime]=$(registry_times "$cond-warm-a" "$cond-warm-b")
  fig[$cond.replay]=$(replay "$cond-warm-a" "$cond-warm-b" "${host##*:}")
  echo "[$cond] the same requests all at once by curl: $(cut -d' ' -f1 <<<"${fig[$cond.replay]}") ms, registry CPU $(cut -d' ' -f2 <<<"${fig[$cond.replay]}") ms"
  fig[$cond.server]=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("data", d).get("duration_ms"))' "$work/check-$cond-counted.json")
  cached_check >/dev/null || return 1  # warm-up
  mark "$cond-cached-a"
  c0=$(cpu_ms "$pid")
  for i in $(seq 1 "$RUNS"); do
    ms=$(cached_check) || return 1
    cached+=("$ms")
  done
  fig[$cond.cachedcpu]=$(( ($(cpu_ms "$pid") - c0) / RUNS ))
  sleep 0.5; mark "$cond-cached-b"
  fig[$cond.cachedreq]=$(requests_between "$cond-cached-a" "$cond-cached-b" | awk -v n="$RUNS" '{print ($1 + $2 + $3 + $4) / n}')
  echo "[$cond] cached: ${cached[*]} ms"
  fig[$cond.rss]=$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))
  fig[$cond.hwm]=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  sleep 10  # what a daemon between checks holds, after the JVM has given back what it gives back
  fig[$cond.rssidle]=$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))
  echo "[$cond] resident memory: ${fig[$cond.rss]} MiB after the runs, ${fig[$cond.rssidle]} MiB 10 s later, peak ${fig[$cond.hwm]} MiB"
  fig[$cond.cold]=$(printf '%s\n' "${cold[@]}" | median)
  fig[$cond.cached]=$(printf '%s\n' "${cached[@]}" | median)
  if grep -Eq ' (WARNING|SEVERE) ' "$dslog"; then
    echo "[$cond] Docksmith warnings (last run):"; grep -E ' (WARNING|SEVERE) ' "$dslog" | sort | uniq -c | sort -rn | head -n 5
  fi
  stop_docksmith
  ms=$(now_ms)
  remove_containers
  fig[$cond.remove]=$(( $(now_ms) - ms ))
  echo "[$cond] $N containers removed in ${fig[$cond.remove]} ms"
}

for cond in $CONDITIONS; do
  case $cond in
    loopback) host="localhost:$REG_PORT" ;;
    rtt) host="localhost:$PROXY_PORT" ;;
    *) die "unknown condition $cond (loopback, rtt)" ;;
  esac
  if [ -n "${HOLD:-}" ]; then  # HOLD=1: set up, start Docksmith, and wait (for profiling) until $work/hold is removed
    run_containers "$cond" "$host"; start_docksmith "hold-$cond"; touch "$work/hold"
    echo "[$cond] holding: Docksmith pid $pid on http://127.0.0.1:$port (log $dslog); rm $work/hold to go on"
    while [ -e "$work/hold" ]; do sleep 1; done
    stop_docksmith; remove_containers; continue
  fi
  measure "$cond" "$host" || { echo "[$cond] not measured" >&2; stop_docksmith; remove_containers || true; }
done

# --- the table ----------------------------------------------------------------------------------
v() { echo "${fig[$1]:-n/a}"; }
req() { local f=${fig[$1]:-}; [ -n "$f" ] || { echo n/a; return; }; awk -v k="$2" '{if (k == "all") print $1 + $2 + $3 + $4; else print $k}' <<<"$f"; }
verdict() {  # verdict VALUE LIMIT
  awk -v x="$1" -v l="$2" 'BEGIN {if (x == "n/a" || x == "") print "n/a"; else if (x + 0 <= l + 0) print x " ✓"; else print x " ✗"}'
}
echo
echo "| $N containers, $R repositories, $running_tags running tags | loopback | +25 ms RTT | target | WUD 8.3.1 |"
echo "|---|---|---|---|---|"
echo "| cold GET /api/check, ms (median of $RUNS starts) | $(v loopback.cold) | $(v rtt.cold) | | |"
echo "| warm GET /api/check, ms (median of $RUNS) | $(verdict "$(v loopback.warm)" 20) | $(verdict "$(v rtt.warm)" 65) | ≤ 20 / ≤ 65 | 180 / 290 |"
echo "| cached background check, ms (logged, median of $RUNS) | $(verdict "$(v loopback.cached)" 10) | $(verdict "$(v rtt.cached)" 10) | ≤ 10 | |"
echo "| · Docksmith CPU time per warm / cached check, ms (mean, user+sys) | $(v loopback.warmcpu) / $(v loopback.cachedcpu) | $(v rtt.warmcpu) / $(v rtt.cachedcpu) | | |"
echo "| · the registry's CPU time per warm check, ms (mean, user+sys) | $(v loopback.warmregcpu) | $(v rtt.warmregcpu) | | |"
echo "| · the delaying proxy's CPU time per warm check, ms | - | $(v rtt.warmproxycpu) | | |"
echo "| · floor: all that CPU spread over $(nproc) cores, ms (the RTT adds to it) | $(v loopback.warmfloor) | $(v rtt.warmfloor) | | |"
echo "| warm GET /api/check at steady state (after $STEADY_AFTER more checks), ms (median of $RUNS) | $(verdict "$(v loopback.steady)" 20) | $(verdict "$(v rtt.steady)" 65) | ≤ 20 / ≤ 65 | |"
echo "| · CPU per check there: Docksmith / registry / proxy, ms | $(v loopback.steadycpu) / $(v loopback.steadyregcpu) / - | $(v rtt.steadycpu) / $(v rtt.steadyregcpu) / $(v rtt.steadyproxycpu) | | |"
echo "| · floor there: all that CPU spread over $(nproc) cores, ms | $(v loopback.steadyfloor) | $(v rtt.steadyfloor) | | |"
rp() { local f=${fig[$1.replay]:-}; [ -n "$f" ] || { echo n/a; return; }; cut -d' ' -f"$2" <<<"$f"; }
echo "| the same requests sent all at once by curl, each on a new connection, ms (median of $RUNS) | $(rp loopback 1) | $(rp rtt 1) | | |"
echo "| · the registry's CPU time for them, ms | $(rp loopback 2) | $(rp rtt 2) | | |"
echo "| registry requests per warm check | $(verdict "$(req loopback.req all)" 80) | $(verdict "$(req rtt.req all)" 80) | ≤ 80 | 180 |"
echo "| · GET tags/list | $(req loopback.req 1) | $(req rtt.req 1) | | |"
echo "| · HEAD manifests | $(req loopback.req 2) | $(req rtt.req 2) | | |"
echo "| · GET manifests | $(verdict "$(req loopback.req 3)" 0) | $(verdict "$(req rtt.req 3)" 0) | 0 | |"
echo "| · other | $(req loopback.req 4) | $(req rtt.req 4) | | |"
rt() { local f=${fig[$1.regtime]:-}; [ -n "$f" ] || { echo n/a; return; }; cut -d' ' -f"$2" <<<"$f" | tr ' ' /; }
echo "| · registry's own time per request, median / max ms | $(rt loopback 1-2) | $(rt rtt 1-2) | | |"
echo "| · TCP connections they came on | $(rt loopback 3) | $(rt rtt 3) | | |"
echo "| registry requests of the first (cold) check | $(req loopback.coldreq all) | $(req rtt.coldreq all) | | |"
echo "| registry requests per cached check | $(v loopback.cachedreq) | $(v rtt.cachedreq) | | |"
echo "| resident memory after the runs, MiB | $(verdict "$(v loopback.rss)" 75) | $(verdict "$(v rtt.rss)" 75) | ≤ 75 | 150 |"
echo "| · 10 s later, MiB | $(verdict "$(v loopback.rssidle)" 75) | $(verdict "$(v rtt.rssidle)" 75) | ≤ 75 | |"
echo "| · peak (VmHWM), MiB | $(verdict "$(v loopback.hwm)" 75) | $(verdict "$(v rtt.hwm)" 75) | ≤ 75 | 150 (peak) |"
echo
for cond in $CONDITIONS; do
  f=${fig[$cond.req]:-}
  [ -n "$f" ] && echo "$cond other requests of a warm check: $(cut -d' ' -f5- <<<"$f")"
  f=${fig[$cond.coldreq]:-}
  [ -n "$f" ] && echo "$cond requests of the cold check: tags/list $(cut -d' ' -f1 <<<"$f"), HEAD manifests $(cut -d' ' -f2 <<<"$f"), GET manifests $(cut -d' ' -f3 <<<"$f"), other: $(cut -d' ' -f5- <<<"$f")"
  echo "$cond counted warm check: $(v $cond.server) ms by its duration_ms"
  echo "$cond check JSON: first ${fig[$cond.json]:-n/a}; warm ${fig[$cond.warm.json]:-n/a}"
done
# One machine-readable line per condition, for bench/run.sh (n/a where a figure is missing).
for cond in $CONDITIONS; do
  j=${fig[$cond.warm.json]:-}
  ours=$(sed -nE 's|^([0-9]+/[0-9]+) ours.*|\1|p' <<<"$j"); updates=$(sed -nE 's|.*update_available ([0-9]+) \(expected ([0-9]+)\).*|\1/\2|p' <<<"$j")
  echo "BENCH_CHECK n=$N r=$R runs=$RUNS tags=$running_tags cond=$cond cold_ms=$(v $cond.cold) warm_ms=$(v $cond.warm)" \
    "cached_ms=$(v $cond.cached) warm_cpu_ms=$(v $cond.warmcpu) cached_cpu_ms=$(v $cond.cachedcpu) registry_cpu_ms=$(v $cond.warmregcpu) proxy_cpu_ms=$(v $cond.warmproxycpu) floor_ms=$(v $cond.warmfloor) steady_ms=$(v $cond.steady) steady_cpu_ms=$(v $cond.steadycpu) steady_registry_cpu_ms=$(v $cond.steadyregcpu) steady_floor_ms=$(v $cond.steadyfloor) warm_requests=$(req $cond.req all)" \
    "cold_requests=$(req $cond.coldreq all) cached_requests=$(v $cond.cachedreq) rss_mib=$(v $cond.rss) idle_rss_mib=$(v $cond.rssidle) hwm_mib=$(v $cond.hwm) replay_ms=$(rp $cond 1) replay_registry_cpu_ms=$(rp $cond 2) create_ms=$(v $cond.create) remove_ms=$(v $cond.remove)" \
    "ours=${ours:-n/a} updates=${updates:-n/a}"
done
