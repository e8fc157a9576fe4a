#!/usr/bin/env bash
# Every performance figure of issue 6 with one command, written to docs/BENCHMARKS.md with a chart
# (docs/bench-check.png, gnuplot from Debian, no download) and the machine it ran on:
#   check time (bench/check.sh: cold / warm GET /api/check, cached background check, registry requests,
#     resident memory; on bare loopback and with 25 ms of added round-trip time) versus the number of
#     containers (CHECK_N, default 10 100 1000, over CHECK_R=20 repositories) and versus the number of
#     repositories (REPOS_R, default 5 20 100, for REPOS_N=100 containers); the time to create and
#     remove the containers is recorded too;
#   update time of one compose service through Docksmith versus raw `docker compose pull && up -d`
#     (bench/update.sh);
#   start-up time, resident memory and /api/explorer latency (bench/startup.sh, STARTUP_CONTAINERS=50).
# Every figure is a median of RUNS (default 5) runs, as the sub-scripts define them. Builds the fat jar
# when it is missing and runs the sub-scripts on a copy of it (a rebuild meanwhile changes nothing);
# installs gnuplot-nox (apt-get, needs root) when gnuplot is missing; runs scripts/test-env.sh up when
# the demo image is missing. WAIT_IDLE=1 first waits (polling every 30 s, at most WAIT_MAX seconds)
# until the 1-minute load average has stayed below MAX_LOAD for IDLE_FOR seconds; the load averages
# at the start and the end are recorded either way. A sub-script that fails leaves n/a in the
# document and makes the exit status 1. Creates only a temporary directory (the sub-scripts clean up
# what they create) and the files OUT and CHART; starts no process of its own in the background.
#   bench/run.sh               RUNS=5 CHECK_N="10 100 1000" CHECK_R=20 REPOS_N=100 REPOS_R="5 20 100"
#                              STARTUP_CONTAINERS=50 OUT=docs/BENCHMARKS.md CHART=docs/bench-check.png
#                              WAIT_IDLE=0 MAX_LOAD=1.0 IDLE_FOR=60 WAIT_MAX=2400 JAVA=java
#                              KEEP_WORK=1 keeps every sub-script's output in /tmp
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
CHECK_N=${CHECK_N:-10 100 1000}
CHECK_R=${CHECK_R:-20}
REPOS_N=${REPOS_N:-100}
REPOS_R=${REPOS_R:-5 20 100}
STARTUP_CONTAINERS=${STARTUP_CONTAINERS:-50}
OUT=${OUT:-docs/BENCHMARKS.md}
CHART=${CHART:-docs/bench-check.png}
WAIT_IDLE=${WAIT_IDLE:-0}
MAX_LOAD=${MAX_LOAD:-1.0}
IDLE_FOR=${IDLE_FOR:-60}
WAIT_MAX=${WAIT_MAX:-2400}
JAVA=${JAVA:-java}
export JAVA
die() { echo "run.sh: $*" >&2; exit 1; }
now_s() { date +%s; }
stamp() { date -u +%H:%M:%S; }

work=$(mktemp -d /tmp/docksmith-run.XXXXXX)
cleanup() {  # the sub-scripts, run in the foreground, stop and clean up on the same signal
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "outputs kept in $work" >&2; else rm -rf "$work" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what is needed -----------------------------------------------------------------------------
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "installing gnuplot-nox (Debian package)" >&2
  apt-get install -y gnuplot-nox >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y gnuplot-nox >/dev/null; } \
    || die "could not install gnuplot-nox"
fi
if [ ! -f dist/target/docksmith.jar ]; then
  echo "building dist/target/docksmith.jar" >&2
  mvn -B -o -q install -DskipTests -DskipITs && mvn -B -o -q package -pl dist -DskipTests -DskipITs
fi
if ! docker image inspect localhost:5000/docksmith/demo:1.0.0 >/dev/null 2>&1; then
  bash scripts/test-env.sh up
fi

# --- an idle machine, if asked --------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
if [ "$WAIT_IDLE" = 1 ]; then
  waited=0; below=0
  echo "$(stamp) waiting until the 1-minute load average stays below $MAX_LOAD for $IDLE_FOR s (at most $WAIT_MAX s)"
  while :; do
    l=$(load1)
    if awk -v l="$l" -v m="$MAX_LOAD" 'BEGIN {exit !(l < m)}'; then below=$((below + 30)); else below=0; fi
    echo "$(stamp)   load average $(cut -d' ' -f1-3 /proc/loadavg)$([ "$below" -gt 0 ] && echo ", below $MAX_LOAD for ${below} s")"
    [ "$below" -ge "$IDLE_FOR" ] && break
    [ "$waited" -ge "$WAIT_MAX" ] && { echo "$(stamp) the machine did not become idle within $WAIT_MAX s; measuring anyway"; break; }
    sleep 30; waited=$((waited + 30))
  done
fi

# The jar as it is now (after any wait), copied: a rebuild while the benchmarks run changes nothing.
cp dist/target/docksmith.jar "$work/docksmith.jar"
export JAR="$work/docksmith.jar"
python3 -c 'import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)' "$JAR" \
  || die "dist/target/docksmith.jar is not a whole jar (being rebuilt?); run again"
jar_built=$(date -u -r dist/target/docksmith.jar +%Y-%m-%dT%H:%M:%SZ)
jar_sha=$(sha256sum "$JAR" | cut -c1-12)

# --- the machine ----------------------------------------------------------------------------------
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "cores=$(nproc)"
  echo "ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "virt=$(systemd-detect-virt 2>/dev/null || echo unknown)"
  echo "java=$("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "docker=$(docker version --format 'engine {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}' 2>/dev/null)"
  echo "storage=$(docker info --format '{{.Driver}}' 2>/dev/null)"
  echo "compose=$(docker compose version 2>/dev/null | head -n1)"
  echo "registry=$(/usr/bin/docker-registry --version 2>/dev/null | awk '{print $NF}')"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && echo ' (with uncommitted changes)')"
  echo "jar=dist/target/docksmith.jar built $jar_built, sha256 $jar_sha"
  echo "jvm_options=$(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options | tr '\n' ' ')"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$work/machine.txt"
echo "$(stamp) machine: $(sed -n 's/^cpu=//p' "$work/machine.txt"), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the runs -------------------------------------------------------------------------------------
failed=0
: >"$work/steps.txt"
step() {  # step NAME LOG COMMAND...: runs one sub-script, its output shown and kept; records the wall time
  local name=$1 log=$2 t0 rc
  shift 2
  t0=$(now_s)
  echo "$(stamp) == $name: $*"
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  echo "step|$name|$(( $(now_s) - t0 ))|$rc|$(cut -d' ' -f1-3 /proc/loadavg)|$*" >>"$work/steps.txt"
  if [ "$rc" != 0 ]; then echo "$(stamp) $name failed ($rc)"; failed=1; fi
}
t_all=$(now_s)
pairs=()
for n in $CHECK_N; do pairs+=("$n:$CHECK_R"); done
for r in $REPOS_R; do
  case " ${pairs[*]} " in *" $REPOS_N:$r "*) ;; *) pairs+=("$REPOS_N:$r") ;; esac
done
for p in "${pairs[@]}"; do
  n=${p%%:*}; r=${p##*:}
  step "check N=$n R=$r" "$work/check-$n-$r.log" env N="$n" R="$r" RUNS="$RUNS" bash bench/check.sh
done
step "update" "$work/update.log" env RUNS="$RUNS" bash bench/update.sh
step "startup" "$work/startup.log" env RUNS="$RUNS" CONTAINERS="$STARTUP_CONTAINERS" bash bench/startup.sh
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/machine.txt"
echo "total_s=$(( $(now_s) - t_all ))" >>"$work/machine.txt"

# --- the chart ------------------------------------------------------------------------------------
grep -h '^BENCH_CHECK' "$work"/check-*.log 2>/dev/null >"$work/check-lines.txt" || true
python3 - "$work/check-lines.txt" "$CHECK_R" >"$work/chart.dat" <<'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(p.split("=", 1) for p in line.split()[1:])
    if kv["r"] != sys.argv[2]:
        continue
    rows.setdefault(int(kv["n"]), {})[kv["cond"]] = kv
def num(kv, key):
    try:
        v = float(kv[key]); return "%g" % v if v > 0 else "NaN"
    except (KeyError, ValueError, TypeError):
        return "NaN"
print("# containers cold_loopback warm_loopback cached_loopback cold_rtt warm_rtt cached_rtt")
for n in sorted(rows):
    l, r = rows[n].get("loopback", {}), rows[n].get("rtt", {})
    print(n, *(num(kv, k) for kv in (l, r) for k in ("cold_ms", "warm_ms", "cached_ms")))
EOF
mkdir -p "$(dirname "$CHART")"
if ! grep -qv '^#' "$work/chart.dat"; then
  echo "run.sh: no check figures, no chart" >&2; failed=1
else
gnuplot <<EOF || { echo "run.sh: gnuplot failed" >&2; failed=1; }
set terminal pngcairo size 900,620 font "DejaVu Sans,10"
set output "$CHART"
set title "Docksmith check time vs containers ($CHECK_R repositories; median of $RUNS runs; $(nproc)-core $(sed -n 's/^cpu=//p' "$work/machine.txt"))"
set xlabel "containers"
set ylabel "ms (log scale)"
set logscale xy
set xtics ($(awk '!/^#/ {printf "%s\"%s\" %s", (n++ ? ", " : ""), $1, $1}' "$work/chart.dat"))
set xrange [$(awk '!/^#/ {if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1} END {printf "%g:%g", min / 1.6, max * 1.6}' "$work/chart.dat")]
set grid
set key outside below
set datafile missing "NaN"
plot "$work/chart.dat" using 1:3 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "warm GET /api/check, loopback", \
     "" using 1:6 with linespoints lw 2 pt 7 lc rgb "#d62728" title "warm GET /api/check, +25 ms RTT", \
     "" using 1:2 with linespoints lw 1 dt 2 pt 6 lc rgb "#1f77b4" title "cold (first after start), loopback", \
     "" using 1:5 with linespoints lw 1 dt 2 pt 6 lc rgb "#d62728" title "cold (first after start), +25 ms RTT", \
     "" using 1:4 with linespoints lw 1 dt 3 pt 4 lc rgb "#2ca02c" title "cached background check, loopback", \
     "" using 1:7 with linespoints lw 1 dt 3 pt 4 lc rgb "#ff7f0e" title "cached background check, +25 ms RTT"
EOF
fi

# --- the document ---------------------------------------------------------------------------------
export RUNS CHECK_N CHECK_R REPOS_N REPOS_R STARTUP_CONTAINERS OUT CHART
python3 - "$work" >"$OUT" <<'EOF'
import glob, os, re, sys
work = sys.argv[1]
env = os.environ
machine = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(work, "machine.txt")) if "=" in l)
steps = [l.rstrip("\n").split("|", 5)[1:] for l in open(os.path.join(work, "steps.txt"))]
runs = env["RUNS"]

def kvs(prefix, path):
    out = []
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            if line.startswith(prefix + " "):
                out.append(dict(p.split("=", 1) for p in line.split()[1:]))
    return out

check = {}
for path in glob.glob(os.path.join(work, "check-*-*.log")):
    for kv in kvs("BENCH_CHECK", path):
        check[(int(kv["n"]), int(kv["r"]), kv["cond"])] = kv

def g(n, r, cond, key):
    v = check.get((n, r, cond), {}).get(key, "n/a")
    return v if v not in ("", None) else "n/a"

def secs(ms):
    try:
        return "%.0f" % (float(ms) / 1000)
    except ValueError:
        return "n/a"

def right(n, r):
    marks = []
    for cond in ("loopback", "rtt"):
        kv = check.get((n, r, cond))
        a, b = (kv or {}).get("ours", "n/a"), (kv or {}).get("updates", "n/a")
        if a == "n/a" and b == "n/a":
            marks.append("n/a")
            continue
        ok = "/" in a and a.split("/")[0] == a.split("/")[1] and "/" in b and b.split("/")[0] == b.split("/")[1]
        marks.append("✓" if ok else "✗ (%s ours, %s updates)" % (a, b))
    return " / ".join(marks)

def row(n, r, first):
    cmd = "`N=%d R=%d RUNS=%s bench/check.sh`" % (n, r, runs)
    return "| %s | %s | %s / %s / %s | %s / %s / %s | %s / %s | %s / %s | %s / %s | %s / %s / %s | %s / %s | %s / %s | %s / %s / %s | %s / %s | %s | %s |" % (
        first, g(n, r, "loopback", "tags"),
        g(n, r, "loopback", "cold_ms"), g(n, r, "loopback", "warm_ms"), g(n, r, "loopback", "cached_ms"),
        g(n, r, "rtt", "cold_ms"), g(n, r, "rtt", "warm_ms"), g(n, r, "rtt", "cached_ms"),
        g(n, r, "loopback", "steady_ms"), g(n, r, "rtt", "steady_ms"),
        g(n, r, "loopback", "replay_ms"), g(n, r, "rtt", "replay_ms"),
        g(n, r, "loopback", "warm_requests"), g(n, r, "rtt", "warm_requests"),
        g(n, r, "loopback", "warm_cpu_ms"), g(n, r, "loopback", "steady_cpu_ms"), g(n, r, "loopback", "cached_cpu_ms"),
        g(n, r, "loopback", "steady_registry_cpu_ms"), g(n, r, "rtt", "steady_registry_cpu_ms"),
        g(n, r, "loopback", "steady_floor_ms"), g(n, r, "rtt", "steady_floor_ms"),
        g(n, r, "loopback", "rss_mib"), g(n, r, "loopback", "idle_rss_mib"), g(n, r, "loopback", "hwm_mib"),
        secs(g(n, r, "loopback", "create_ms")), secs(g(n, r, "loopback", "remove_ms")),
        right(n, r), cmd)

header = ("| %s | running tags | loopback: cold / warm / cached, ms | +25 ms RTT: cold / warm / cached, ms "
          "| steady warm, ms, loopback / RTT | the same requests at once by curl, ms, loopback / RTT | registry requests per warm check, loopback / RTT "
          "| Docksmith CPU per check, warm / steady / cached, ms (loopback) "
          "| the registry's CPU per steady check, ms, loopback / RTT | floor: all CPU of a steady check / cores, ms, loopback / RTT "
          "| resident memory, MiB (loopback): after the runs / 10 s later / peak | containers created / removed, s | statuses right, loopback / RTT | command |")
sep = "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

def verbatim_table(path):
    if not os.path.exists(path):
        return []
    return [l.rstrip("\n") for l in open(path, errors="replace") if l.startswith("|")]

def lines_matching(path, pattern):
    if not os.path.exists(path):
        return []
    return [l.rstrip("\n") for l in open(path, errors="replace") if re.search(pattern, l)]

p = print
p("# Benchmarks")
p()
p("Written by `bench/run.sh` (one command; `RUNS=%s`) on %s. Every figure is the median of %s runs unless a "
  "column says otherwise; each table gives the exact command that produced it, and each of those scripts "
  "describes in its header what it measures and how. Re-run with `bench/run.sh` (`WAIT_IDLE=1` waits for an "
  "idle machine first); the load test is separate: `bench/load.sh`, results in [RELIABILITY.md](RELIABILITY.md)."
  % (runs, machine.get("date", "?"), runs))
p()
p("## Machine")
p()
p("| | |")
p("|---|---|")
for key, label in (("cpu", "CPU"), ("cores", "cores"), ("ram", "RAM"), ("kernel", "kernel"), ("os", "OS"),
                   ("virt", "virtualisation (systemd-detect-virt)"), ("java", "Java"), ("docker", "Docker"),
                   ("storage", "Docker storage driver"), ("compose", "Compose"), ("registry", "registry (docker-registry)"),
                   ("commit", "Docksmith commit"), ("jar", "jar"), ("jvm_options", "JVM options (scripts/jvm.options)"),
                   ("load_start", "load average (1, 5, 15 min) at the start"), ("load_end", "load average at the end")):
    p("| %s | %s |" % (label, machine.get(key, "n/a")))
total = int(machine.get("total_s", "0"))
p("| wall time of the whole run | %d min %02d s |" % (total // 60, total % 60))
p()
p("## Check time")
p()
p("`cold`: the first `GET /api/check` after start-up (new connections, new registry tokens), median of %s "
  "starts; `warm`: `GET /api/check` again (cached registry answers dropped, connections and tokens kept); "
  "`cached`: the background check `POST /api/trigger-check` runs on cached registry answers, as Docksmith "
  "logs its duration. `+25 ms RTT`: the same registry behind `bench/delay_proxy.py`, which holds every chunk "
  "12.5 ms each way. Registry, images and containers are the script's own (a registry on 127.0.0.1:5100, "
  "`--network none` containers of images built `FROM` the demo image); containers spread over the "
  "repositories with at most 3 running tags each. *statuses right*: every container of the run was "
  "checked and the number with an update available is the expected one. *steady warm*: `GET /api/check` "
  "again after 30 more checks, when the JIT has compiled the check's code, as in a daemon that has run a "
  "while (the *warm* checks are a new JVM's 3rd to 7th). *floor*: the CPU time Docksmith, "
  "the registry and (with RTT) the delaying proxy spend on one steady check, divided by the cores; all three "
  "share this machine, so no client that asks the same requests can finish a warm check sooner (with RTT, "
  "the round trip comes on top). The registry's share is most of it: it is the figure to compare the "
  "targets with. *the same requests at once by curl*: the requests the registry logged for one warm check, "
  "sent again by `curl --parallel`, all at once, each on a new connection: what a client that knew every "
  "request in advance and spent no time of its own could do against this registry on this machine." % runs)
p()
p("### Versus the number of containers (%s repositories)" % env["CHECK_R"])
p()
p(header % "containers")
p(sep)
for n in [int(x) for x in env["CHECK_N"].split()]:
    p(row(n, int(env["CHECK_R"]), n))
p()
p("![check time versus containers](%s)" % os.path.relpath(env["CHART"], os.path.dirname(env["OUT"]) or "."))
p()
p("### Versus the number of repositories (%s containers)" % env["REPOS_N"])
p()
p(header % "repositories")
p(sep)
for r in [int(x) for x in env["REPOS_R"].split()]:
    p(row(int(env["REPOS_N"]), r, r))
p()
ref = os.path.join(work, "check-100-20.log")
table = verbatim_table(ref)
if table:
    p("### The reference case in full")
    p()
    p("`N=100 R=20 RUNS=%s bench/check.sh` prints the request breakdown and the targets of the original "
      "benchmark (the WUD column is from its issue, not measured here):" % runs)
    p()
    for l in table:
        p(l)
    p()
    for l in lines_matching(ref, r"^(GET /v2/ direct|images:|\[(loopback|rtt)\] [0-9]+ containers (created|removed))"):
        p("- " + l.strip())
    p()
p("## Update time versus raw compose")
p()
upd = os.path.join(work, "update.log")
table = verbatim_table(upd)
if table:
    p("`RUNS=%s bench/update.sh`: one compose service (`network_mode: none`) moved between two tags of "
      "the demo image, alternately by Docksmith (`POST /api/update`, timed until the operation's final event "
      "on `/api/events`; `DOCKSMITH_HEALTH_GRACE=0s`) and by the raw commands (`docker compose pull web && "
      "docker compose up -d web`); one warm-up each, not counted." % runs)
    p()
    for l in table:
        p(l)
    p()
    for l in lines_matching(upd, r"^(GET /api/health|raw:|Docksmith:|           POST)"):
        p("- `" + l.strip() + "`")
else:
    p("n/a: `bench/update.sh` failed (see below).")
p()
p("## Start-up and memory")
p()
st = kvs("BENCH_STARTUP", os.path.join(work, "startup.log"))
if st:
    kv = st[-1]
    p("`RUNS=%s CONTAINERS=%s bench/startup.sh`: the fat jar started as `scripts/start.sh` starts it (the JVM "
      "options above), `CHECK_INTERVAL=0`." % (runs, env["STARTUP_CONTAINERS"]))
    p()
    p("| figure | value |")
    p("|---|---|")
    p("| `java -jar` to the first 200 from `/api/health`, median of %s (min – max) | %s ms (%s – %s) |" % (
        kv["runs"], kv["startup_ms"], kv["startup_min_ms"], kv["startup_max_ms"]))
    p("| resident memory (VmRSS) 2 s after that, median of %s | %s MiB |" % (kv["runs"], kv["rss_mib"]))
    p("| `GET /api/explorer` with %s containers on the engine, median / p90 of 50 (after 10 warm-up) | %s / %s ms |" % (
        kv["explorer_containers"], kv["explorer_median_ms"], kv["explorer_p90_ms"]))
    p("| resident memory after those 60 requests | %s MiB |" % kv["explorer_rss_mib"])
else:
    p("n/a: `bench/startup.sh` failed (see below).")
p()
p("## The run")
p()
p("| step | command | wall time | exit status | load average when it ended |")
p("|---|---|---|---|---|")
for name, seconds, rc, load, cmd in steps:
    cmd = cmd.replace("bash ", "").replace("env ", "")
    p("| %s | `%s` | %d min %02d s | %s | %s |" % (name, cmd, int(seconds) // 60, int(seconds) % 60, rc, load))
p()
p("Each `bench/check.sh` builds its images (4 versions + `latest` per repository), pushes them to its own "
  "registry under both addresses, creates its containers for each condition and removes them again; the "
  "wall times above include that, and most of the time of the largest case is creating and removing its "
  "containers (the *containers created / removed* column; `CHECK_N=\"10 100\"` leaves that case out). "
  "The load averages at the end of the steps come mostly from the benchmark itself: 8 `docker run` at a "
  "time while containers are created. Before it measures, `bench/check.sh` waits until the CPUs were 80 %% "
  "idle for a second (its *created and started* lines say after how long). On a small %s-core machine "
  "other processes still disturb single runs, which is why medians are quoted." % machine.get("cores", "?"))
EOF
echo "$(stamp) wrote $OUT and $CHART in $(( $(now_s) - t_all )) s"
cat "$OUT" | sed -n '/^## Check time/,/^## Update/p' | grep '^|'
[ "$failed" = 0 ] || { echo "run.sh: a step failed; see $OUT (n/a) and the output above" >&2; exit 1; }
