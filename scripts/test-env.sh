#!/usr/bin/env bash
# Docksmith integration-test environment: a real Docker engine, a local registry and
# small busybox-based demo images, on a Debian 12 machine without systemd, run as root,
# with no access to Docker Hub.
#
#   scripts/test-env.sh up       install what is missing, start (or reuse) dockerd and the
#                                registry, build/push the demo images, print a summary
#   scripts/test-env.sh status   what answers, and whether this script started it
#   scripts/test-env.sh down     stop only the processes this script started (PID files)
#
# Environment (defaults in brackets):
#   STATE_DIR          [/tmp/docksmith-test-env]  logs, PID files, registry storage, rootfs
#   DOCKER_SOCK        [/var/run/docker.sock]     engine socket (exported as DOCKER_HOST)
#   DOCKER_DATA_ROOT   [/var/lib/docker]          dockerd --data-root
#   DOCKER_EXEC_ROOT   [/var/run/docker]          dockerd --exec-root
#   DOCKER_PIDFILE     [/var/run/docker.pid]      dockerd --pidfile
#   STORAGE_DRIVERS    ["overlay2 vfs"]           tried in order
#   DOCKERD_EXTRA_ARGS [""]                       appended to the dockerd command line
#                                                 (e.g. --bridge=none for a second engine)
#   REGISTRY_ADDR      [127.0.0.1:5000]           registry listen address, loopback only
#   COMPOSE_PLUGIN_DIR [/usr/local/libexec/docker/cli-plugins]  where compose v2 goes
#   READY_TIMEOUT      [180]                      seconds to wait for each daemon
#   STOP_TIMEOUT       [30]                       seconds between SIGTERM and SIGKILL on down
# Images (prefix localhost:<registry port>/docksmith/):
#   demo:1.0.0 demo:1.1.0 demo:2.0.0 demo:latest(=2.0.0)   busybox httpd on :8080, "demo <v>"
#   demo:2.1.0                                              in the registry only, not local
#   demo-health:1.0.0 demo-health:1.1.0                     demo + HEALTHCHECK
#   demo-health:2.0.0                                       the same, without the page its healthcheck fetches: unhealthy
#   demo-broken:2.0.0                                       CMD exits 1 after a second
set -Eeuo pipefail

STATE_DIR=${STATE_DIR:-/tmp/docksmith-test-env}
DOCKER_SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
DOCKER_DATA_ROOT=${DOCKER_DATA_ROOT:-/var/lib/docker}
DOCKER_EXEC_ROOT=${DOCKER_EXEC_ROOT:-/var/run/docker}
DOCKER_PIDFILE=${DOCKER_PIDFILE:-/var/run/docker.pid}
STORAGE_DRIVERS=${STORAGE_DRIVERS:-overlay2 vfs}
DOCKERD_EXTRA_ARGS=${DOCKERD_EXTRA_ARGS:-}
REGISTRY_ADDR=${REGISTRY_ADDR:-127.0.0.1:5000}
COMPOSE_PLUGIN_DIR=${COMPOSE_PLUGIN_DIR:-/usr/local/libexec/docker/cli-plugins}
READY_TIMEOUT=${READY_TIMEOUT:-180}  # an engine restoring many dead containers takes minutes
STOP_TIMEOUT=${STOP_TIMEOUT:-30}

export DOCKER_HOST="unix://$DOCKER_SOCK"
export DOCKER_BUILDKIT=0          # classic builder: no buildx needed, works offline on local bases
export DEBIAN_FRONTEND=noninteractive
REGISTRY_PORT=${REGISTRY_ADDR##*:}
REG="localhost:$REGISTRY_PORT"    # image-name prefix the engine treats as an insecure local registry
NS="docksmith"
DEMO="$REG/$NS/demo"
HEALTH="$REG/$NS/demo-health"
BROKEN="$REG/$NS/demo-broken"
DEMO_VERSIONS="1.0.0 1.1.0 2.0.0"
REGISTRY_ONLY_VERSION="2.1.0"
PACKAGES="docker.io docker-registry docker-compose busybox-static curl apache2-utils"  # apache2-utils: htpasswd for the auth registry test
RECIPE_LABEL="org.docksmith.testenv.recipe"
BASE_LABEL="org.docksmith.testenv.base"
MANIFEST_V2="application/vnd.docker.distribution.manifest.v2+json"

OUR_DOCKERD_PID="$STATE_DIR/dockerd.pid"       # written by this script, never dockerd's own
OUR_REGISTRY_PID="$STATE_DIR/registry.pid"
SMOKE_NAME="docksmith-testenv-smoke-$$"

# ---------------------------------------------------------------- logging and steps
say()  { printf '[test-env %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
warn() { printf '[test-env %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
ms()   { date +%s%3N; }
CURRENT_STEP=""
STEP_T0=0
on_err() {
  local rc=$? line=$1 cmd=$2
  # Only the main shell reports; a failing command inside $(...) is for its caller to judge.
  [ "$BASHPID" = "$$" ] || return 0
  if [ -z "$CURRENT_STEP" ]; then warn "FAILED (exit $rc, line $line): $cmd"; return 0; fi
  warn "FAILED step '$CURRENT_STEP' after $(( $(ms) - STEP_T0 ))ms (exit $rc, line $line): $cmd"
  CURRENT_STEP=""   # report once
}
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR
cleanup_hooks=()
on_exit() {
  local h
  for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
}
trap on_exit EXIT

# step NAME FUNCTION [ARGS...]: time one step; under set -e any failing command inside ends
# the script, and the ERR trap names the step.
step() {
  CURRENT_STEP=$1; shift
  STEP_T0=$(ms)
  say "==> $CURRENT_STEP"
  "$@"
  say "<== $CURRENT_STEP: ok in $(( $(ms) - STEP_T0 ))ms"
  CURRENT_STEP=""
}
fail() { warn "$*"; return 1; }
tail_log() { [ -f "$1" ] && { warn "--- last lines of $1:"; tail -n "${2:-20}" "$1" >&2; warn "---"; }; return 0; }

# ---------------------------------------------------------------- process ownership
cmdline_of() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline"; }
# is_ours PIDFILE PROGRAM MARKER: the PID in our file is alive, its argv[0] ends in PROGRAM,
# and its command line contains MARKER (a path only our start command uses).
is_ours() {
  local pidfile=$1 prog=$2 marker=$3 pid cmd argv0
  [ -s "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmd=$(cmdline_of "$pid") || return 1
  argv0=${cmd%% *}
  [ "${argv0##*/}" = "$prog" ] || return 1
  [[ $cmd == *"$marker"* ]]
}
dockerd_marker()  { printf -- '--exec-root=%s' "$DOCKER_EXEC_ROOT"; }
registry_marker() { printf '%s/registry.yml' "$STATE_DIR"; }

docker_answers()   { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
registry_answers() {
  curl -fsS -m 3 -o /dev/null -D - "http://$REGISTRY_ADDR/v2/" 2>/dev/null \
    | grep -qi '^Docker-Distribution-Api-Version: *registry/2'
}

# ---------------------------------------------------------------- packages
install_packages() {
  local p missing=()
  for p in $PACKAGES; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "all present: $PACKAGES"; return 0; fi
  say "installing: ${missing[*]}"
  # No systemd/init here: a policy-rc.d answering 101 keeps postinst scripts from starting
  # dockerd or the registry through invoke-rc.d. Only remove it if we created it.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from docksmith scripts/test-env.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    cleanup_hooks+=("rm -f /usr/sbin/policy-rc.d")
  fi
  local log="$STATE_DIR/apt.log"
  apt-get update -q >"$log" 2>&1 || { tail_log "$log"; fail "apt-get update failed"; }
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
    || { tail_log "$log"; fail "apt-get install ${missing[*]} failed"; }
  for p in /usr/sbin/dockerd /usr/bin/docker-registry /bin/busybox /usr/bin/curl; do
    [ -x "$p" ] || fail "$p missing after install"
  done
}

# Debian 12 has only compose v1; the v2 CLI plugin is Debian 13's docker-compose package.
# Fetch that .deb with a private apt configuration (own sources, lists and cache under
# STATE_DIR; the system's sources, lists and cache are not touched) and unpack only the plugin.
install_compose_v2() {
  local plugin="$COMPOSE_PLUGIN_DIR/docker-compose"
  if [ -x "$plugin" ] && "$plugin" version >/dev/null 2>&1; then
    say "present: $plugin ($("$plugin" version --short 2>/dev/null))"; return 0
  fi
  local a="$STATE_DIR/apt-debian13" log="$STATE_DIR/apt-debian13.log" uri
  rm -rf "$a"; mkdir -p "$a/sources.d" "$a/lists/partial" "$a/cache/archives/partial" "$a/debs" "$a/unpacked"
  uri=$(debian_mirror_uri) || fail "no Debian 12 (bookworm) apt source found to derive a Debian 13 one from"
  cat >"$a/sources.d/debian13.sources" <<EOF
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local apt_opts=(
    -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$a/sources.d"
    -o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache"
    -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=/dev/null"
  )
  say "private apt state in $a, source $uri trixie"
  apt-get "${apt_opts[@]}" update -q >"$log" 2>&1 || { tail_log "$log"; fail "private apt-get update (Debian 13) failed"; }
  (cd "$a/debs" && apt-get "${apt_opts[@]}" download docker-compose) >>"$log" 2>&1 \
    || { tail_log "$log"; fail "apt-get download docker-compose (Debian 13) failed"; }
  local deb
  deb=$(find "$a/debs" -maxdepth 1 -name 'docker-compose_2*.deb' | head -n 1)
  [ -n "$deb" ] || fail "Debian 13 did not provide a docker-compose 2.x package (see $log)"
  dpkg-deb -x "$deb" "$a/unpacked"
  [ -x "$a/unpacked/usr/libexec/docker/cli-plugins/docker-compose" ] || fail "no cli-plugins/docker-compose in $deb"
  install -D -m 0755 "$a/unpacked/usr/libexec/docker/cli-plugins/docker-compose" "$plugin"
  "$plugin" version >/dev/null || fail "$plugin does not run"
  say "installed $plugin ($("$plugin" version --short)) from ${deb##*/}"
}

# First URI of a bookworm (not -security) source, from deb822 or one-line format.
debian_mirror_uri() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
      /(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ {
        for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, w, /[ \t]+/); print w[2]; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i+1) == "bookworm") { print $i; exit } } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  return 1
}

# ---------------------------------------------------------------- dockerd
start_dockerd() {
  if docker_answers; then
    if is_ours "$OUR_DOCKERD_PID" dockerd "$(dockerd_marker)"; then
      say "dockerd already running (ours, pid $(cat "$OUR_DOCKERD_PID")) on $DOCKER_SOCK"
    else
      say "a Docker engine already answers on $DOCKER_SOCK: reusing it (not started by this script)"
    fi
    return 0
  fi
  rm -f "$OUR_DOCKERD_PID"
  # A dockerd that owns the pidfile but does not answer yet (still starting): wait for it.
  local pid cmd
  if [ -s "$DOCKER_PIDFILE" ]; then
    pid=$(cat "$DOCKER_PIDFILE"); cmd=$(cmdline_of "$pid" || true)
    if [[ ${cmd%% *} == *dockerd ]]; then
      say "dockerd pid $pid (not ours) owns $DOCKER_PIDFILE but does not answer yet; waiting"
      wait_for "dockerd pid $pid" docker_answers "$READY_TIMEOUT" "$pid" \
        || fail "the existing dockerd (pid $pid) did not answer on $DOCKER_SOCK within ${READY_TIMEOUT}s"
      return 0
    fi
    say "removing stale $DOCKER_PIDFILE (pid $pid is not a dockerd)"; rm -f "$DOCKER_PIDFILE"
  fi
  clear_stale_engine_state
  mkdir -p "$(dirname "$DOCKER_SOCK")" "$(dirname "$DOCKER_PIDFILE")" "$DOCKER_DATA_ROOT" "$DOCKER_EXEC_ROOT"
  local drv log="$STATE_DIR/dockerd.log" extra=()
  read -r -a extra <<<"$DOCKERD_EXTRA_ARGS"
  for drv in $STORAGE_DRIVERS; do
    say "starting dockerd, storage driver $drv, socket $DOCKER_SOCK, data root $DOCKER_DATA_ROOT"
    printf '\n===== %s dockerd --storage-driver=%s\n' "$(date -Is)" "$drv" >>"$log"
    # setsid: own session, so a Ctrl-C or CI's process-group kill of the caller spares it;
    # no iptables: containers get no NAT, nothing here needs outside access.
    setsid /usr/sbin/dockerd \
      --host="unix://$DOCKER_SOCK" --data-root="$DOCKER_DATA_ROOT" --exec-root="$DOCKER_EXEC_ROOT" \
      --pidfile="$DOCKER_PIDFILE" --storage-driver="$drv" \
      --iptables=false --ip6tables=false --shutdown-timeout=5 "${extra[@]}" \
      >>"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$OUR_DOCKERD_PID"
    if wait_for "dockerd ($drv)" docker_answers "$READY_TIMEOUT" "$pid"; then
      is_ours "$OUR_DOCKERD_PID" dockerd "$(dockerd_marker)" || fail "started dockerd pid $pid but cannot recognise it in /proc"
      say "dockerd pid $pid ready with $(docker info --format '{{.Driver}}')"
      return 0
    fi
    warn "dockerd with storage driver $drv did not come up; its errors:"
    grep -E 'level=(error|fatal)|failed to start' "$log" | tail -n 5 >&2 || true
    tail_log "$log" 8
    stop_pid "$pid" dockerd
    rm -f "$OUR_DOCKERD_PID"
    stop_our_containerd
  done
  fail "dockerd did not start with any of: $STORAGE_DRIVERS (log $log)"
}

# bench/*.sh label everything they create dev.docksmith.bench.run=<letter><their PID> and remove it on
# exit; a benchmark killed outright cannot, and its containers (up to 1,000) would slow every
# test after it. Runs whose shell is still alive are left alone.
sweep_dead_bench_runs() {
  local run ids
  for run in $(docker ps -a --filter label=dev.docksmith.bench.run \
                 --format '{{.Label "dev.docksmith.bench.run"}}' | sort -u); do
    [[ $run =~ ^[a-z]([0-9]+)$ ]] && kill -0 "${BASH_REMATCH[1]}" 2>/dev/null && continue
    ids=$(docker ps -aq --filter "label=dev.docksmith.bench.run=$run")
    say "removing $(wc -w <<<"$ids") containers of benchmark run $run (its shell is gone)"
    xargs -r -n 20 -P 2 docker rm -f <<<"$ids" >/dev/null   # not all at once: see bench/check.sh
  done
}

# wait_for LABEL CHECK_FN TIMEOUT_S [PID]: poll until CHECK_FN succeeds; give up early if PID dies.
wait_for() {
  local label=$1 check=$2 limit=$3 pid=${4:-} deadline
  deadline=$(( $(date +%s) + limit ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    "$check" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then warn "$label (pid $pid) exited"; return 1; fi
    sleep 0.3
  done
  warn "$label: no answer within ${limit}s"; return 1
}

# ---------------------------------------------------------------- registry
start_registry() {
  case "${REGISTRY_ADDR%:*}" in
    127.*|localhost) ;;
    *) fail "REGISTRY_ADDR=$REGISTRY_ADDR: only a loopback address is allowed" ;;
  esac
  if registry_answers; then
    if is_ours "$OUR_REGISTRY_PID" docker-registry "$(registry_marker)"; then
      say "registry already running (ours, pid $(cat "$OUR_REGISTRY_PID")) on $REGISTRY_ADDR"
    else
      say "a registry already answers on $REGISTRY_ADDR: reusing it (not started by this script)"
    fi
    return 0
  fi
  rm -f "$OUR_REGISTRY_PID"
  local log="$STATE_DIR/registry.log" pid
  mkdir -p "$STATE_DIR/registry-storage"
  cat >"$(registry_marker)" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-storage
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  printf '\n===== %s docker-registry on %s\n' "$(date -Is)" "$REGISTRY_ADDR" >>"$log"
  setsid env -u REGISTRY_ADDR /usr/bin/docker-registry serve "$(registry_marker)" >>"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$OUR_REGISTRY_PID"
  if ! wait_for "registry" registry_answers "$READY_TIMEOUT" "$pid"; then
    tail_log "$log" 15
    stop_pid "$pid" docker-registry; rm -f "$OUR_REGISTRY_PID"
    fail "registry did not answer on http://$REGISTRY_ADDR/v2/ (log $log)"
  fi
  say "registry pid $pid ready on $REGISTRY_ADDR, storage $STATE_DIR/registry-storage"
}

# ---------------------------------------------------------------- images
# The recipe id changes whenever the image-making code or busybox changes; images carrying
# the current id are kept, so a second `up` neither rebuilds nor changes any digest.
recipe_id() {
  local bb
  bb=$(/bin/busybox --help 2>&1 || true)
  { declare -f make_rootfs import_demo build_on_demo; printf '%s\n' "$HEALTH_BODY" "$UNHEALTHY_BODY" "$BROKEN_BODY" "${bb%%$'\n'*}"; } \
    | sha256sum | cut -c1-16
}
label_of() { docker image inspect --format "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null; }

make_rootfs() {  # make_rootfs DIR VERSION
  local root=$1 version=$2 applet
  rm -rf "$root"; mkdir -p "$root/bin" "$root/etc" "$root/www" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'demo %s\n' "$version" >"$root/www/index.html"
}

import_demo() {  # import_demo VERSION: the demo image, straight from a busybox rootfs tarball
  local v=$1 dir="$STATE_DIR/build/demo-$1"
  make_rootfs "$dir/rootfs" "$v"
  # Fixed order, owners and times: identical layer bytes for identical content.
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir/rootfs" -cf "$dir/rootfs.tar" .
  # PID 1 is sh: it traps SIGTERM and exits 0, so `docker stop` returns at once.
  docker import \
    -c 'ENV PATH=/bin' -c 'WORKDIR /www' -c 'EXPOSE 8080' \
    -c "LABEL org.opencontainers.image.version=$v org.opencontainers.image.title=docksmith-demo $RECIPE_LABEL=$RECIPE" \
    -c 'CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; httpd -f -p 8080 -h /www & wait"]' \
    -m "docksmith test image demo $v" \
    "$dir/rootfs.tar" "$DEMO:$v" >/dev/null
}

build_on_demo() {  # build_on_demo TARGET_REF BASE_REF DOCKERFILE_BODY
  local target=$1 base=$2 body=$3 dir
  dir="$STATE_DIR/build/${target##*/}"; dir=${dir//:/_}
  rm -rf "$dir"; mkdir -p "$dir"
  printf 'FROM %s\n%s\n' "$base" "$body" >"$dir/Dockerfile"
  docker build -q --label "$RECIPE_LABEL=$RECIPE" --label "$BASE_LABEL=$(image_id "$base")" \
    -t "$target" "$dir" >"$dir/build.log" 2>&1 || { tail_log "$dir/build.log"; fail "docker build $target failed"; }
}

current() {  # current REF [BASE_REF]: local image carries this recipe (and was built on BASE)
  [ "$(label_of "$1" "$RECIPE_LABEL")" = "$RECIPE" ] || return 1
  [ -z "${2:-}" ] || [ "$(label_of "$1" "$BASE_LABEL")" = "$(image_id "$2")" ]
}

HEALTH_BODY='HEALTHCHECK --interval=2s --timeout=2s --start-period=1s --retries=3 CMD wget -q -O- http://127.0.0.1:8080/ || exit 1'
# The version whose healthcheck fails: the file it fetches is missing, as after a bad release.
UNHEALTHY_BODY="$HEALTH_BODY
RUN rm /www/index.html"
BROKEN_BODY='LABEL org.opencontainers.image.title=docksmith-demo-broken
CMD ["/bin/sh", "-c", "echo demo-broken: failing on purpose >&2; sleep 1; exit 1"]'

build_images() {
  local v built=0
  for v in $DEMO_VERSIONS; do
    if current "$DEMO:$v"; then continue; fi
    say "building $DEMO:$v (docker import)"; import_demo "$v"; built=$((built + 1))
  done
  if [ "$(image_id "$DEMO:latest")" != "$(image_id "$DEMO:2.0.0")" ]; then
    docker tag "$DEMO:2.0.0" "$DEMO:latest"; say "tagged $DEMO:latest = 2.0.0"
  fi
  for v in 1.0.0 1.1.0; do
    if current "$HEALTH:$v" "$DEMO:$v"; then continue; fi
    say "building $HEALTH:$v (docker build FROM $DEMO:$v)"
    build_on_demo "$HEALTH:$v" "$DEMO:$v" "$HEALTH_BODY"; built=$((built + 1))
  done
  if ! current "$HEALTH:2.0.0" "$DEMO:2.0.0"; then
    say "building $HEALTH:2.0.0 (docker build FROM $DEMO:2.0.0, page removed: unhealthy)"
    build_on_demo "$HEALTH:2.0.0" "$DEMO:2.0.0" "$UNHEALTHY_BODY"; built=$((built + 1))
  fi
  if ! current "$BROKEN:2.0.0" "$DEMO:2.0.0"; then
    say "building $BROKEN:2.0.0 (docker build FROM $DEMO:2.0.0)"
    build_on_demo "$BROKEN:2.0.0" "$DEMO:2.0.0" "$BROKEN_BODY"; built=$((built + 1))
  fi
  say "$built image(s) built, the rest already current (recipe $RECIPE)"
}

smoke_test_images() {
  local v out t0 status i exit_code
  cleanup_hooks+=("docker rm -f $SMOKE_NAME >/dev/null 2>&1")
  for v in $DEMO_VERSIONS; do
    out=$(docker run --rm --network none "$DEMO:$v" cat /www/index.html)
    [ "$out" = "demo $v" ] || fail "$DEMO:$v serves '$out', expected 'demo $v'"
  done
  # Health image: must become healthy, serve over HTTP and stop promptly on SIGTERM with exit 0.
  docker run -d --name "$SMOKE_NAME" --network none "$HEALTH:1.0.0" >/dev/null
  status=""
  for i in $(seq 1 60); do
    status=$(docker inspect --format '{{.State.Health.Status}}' "$SMOKE_NAME")
    [ "$status" = healthy ] && break
    sleep 0.5
  done
  [ "$status" = healthy ] || { docker logs "$SMOKE_NAME" >&2 || true; fail "$HEALTH:1.0.0 not healthy after 30s (status '$status')"; }
  out=$(docker exec "$SMOKE_NAME" wget -q -O- http://127.0.0.1:8080/)
  [ "$out" = "demo 1.0.0" ] || fail "httpd in $HEALTH:1.0.0 answered '$out'"
  t0=$(ms); docker stop -t 10 "$SMOKE_NAME" >/dev/null
  exit_code=$(docker inspect --format '{{.State.ExitCode}}' "$SMOKE_NAME")
  if [ "$exit_code" != 0 ] || [ $(( $(ms) - t0 )) -ge 5000 ]; then
    fail "$HEALTH:1.0.0 did not exit 0 promptly on SIGTERM (exit $exit_code, $(( $(ms) - t0 ))ms)"
  fi
  docker rm "$SMOKE_NAME" >/dev/null
  say "demo serves 'demo <version>'; demo-health healthy after ~$((i / 2))s, HTTP ok, SIGTERM -> exit 0 in $(( $(ms) - t0 ))ms"
  # Broken image: exits 1 after about a second.
  t0=$(ms); exit_code=0
  docker run --rm --network none "$BROKEN:2.0.0" 2>/dev/null || exit_code=$?
  [ "$exit_code" = 1 ] || fail "$BROKEN:2.0.0 exited $exit_code, expected 1"
  say "demo-broken exits 1 after $(( $(ms) - t0 ))ms"
}

registry_digest() {  # registry_digest REPO TAG -> Docker-Content-Digest of a manifest HEAD
  curl -fsS -m 10 -I -H "Accept: $MANIFEST_V2" "http://$REGISTRY_ADDR/v2/$1/manifests/$2" 2>/dev/null \
    | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }'
}
local_digest() {  # the digest under which REF was pushed to its repository, if any
  local ref=$1 repo=${1%:*}
  docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$ref" 2>/dev/null \
    | awk -v r="$repo@" 'index($0, r) == 1 { print substr($0, length(r) + 1); exit }'
}
push_ref() {
  local ref=$1 log="$STATE_DIR/push.log"
  printf '\n===== %s push %s\n' "$(date -Is)" "$ref" >>"$log"
  timeout 300 docker push "$ref" >>"$log" 2>&1 || { tail_log "$log"; fail "docker push $ref failed"; }
}
registry_config_has_recipe() {  # the image config blob behind REPO:TAG carries the current recipe
  local repo=$1 tag=$2 cfg
  cfg=$(curl -fsS -m 10 -H "Accept: $MANIFEST_V2" "http://$REGISTRY_ADDR/v2/$repo/manifests/$tag" 2>/dev/null \
    | tr -d ' \n' | grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]\{64\}') || return 1
  curl -fsS -m 10 "http://$REGISTRY_ADDR/v2/$repo/blobs/$cfg" 2>/dev/null | grep -q "\"$RECIPE_LABEL\":\"$RECIPE\""
}

push_images() {
  local ref repo tag pushed=0 skipped=0
  for ref in "$DEMO:1.0.0" "$DEMO:1.1.0" "$DEMO:2.0.0" "$DEMO:latest" \
             "$HEALTH:1.0.0" "$HEALTH:1.1.0" "$HEALTH:2.0.0" "$BROKEN:2.0.0"; do
    repo=${ref#"$REG"/}; tag=${repo##*:}; repo=${repo%:*}
    if [ -n "$(local_digest "$ref")" ] && [ "$(registry_digest "$repo" "$tag")" = "$(local_digest "$ref")" ]; then
      skipped=$((skipped + 1)); continue
    fi
    push_ref "$ref"; pushed=$((pushed + 1))
  done
  say "$pushed pushed, $skipped already in the registry with the same digest"
  # demo:2.1.0 lives only in the registry, so update tests have to pull it.
  local only="$DEMO:$REGISTRY_ONLY_VERSION"
  if registry_config_has_recipe "$NS/demo" "$REGISTRY_ONLY_VERSION"; then
    say "$only already in the registry (current recipe)"
  else
    say "building $only for the registry only"
    import_demo "$REGISTRY_ONLY_VERSION"
    push_ref "$only"
  fi
  if docker image inspect "$only" >/dev/null 2>&1; then docker rmi "$only" >/dev/null; fi
}

verify_registry() {
  local repo tag tags digest want ref
  for repo in "$NS/demo" "$NS/demo-health" "$NS/demo-broken"; do
    tags=$(curl -fsS -m 10 "http://$REGISTRY_ADDR/v2/$repo/tags/list") || fail "tags/list failed for $repo"
    case $repo in
      */demo) want="$DEMO_VERSIONS latest $REGISTRY_ONLY_VERSION" ;;
      */demo-health) want="1.0.0 1.1.0 2.0.0" ;;
      */demo-broken) want="2.0.0" ;;
    esac
    for tag in $want; do
      grep -q "\"$tag\"" <<<"$tags" || fail "tag $tag missing in registry: $tags"
      digest=$(registry_digest "$repo" "$tag")
      [[ $digest == sha256:* ]] || fail "manifest HEAD $repo:$tag gave no Docker-Content-Digest"
      ref="$REG/$repo:$tag"
      if [ "$tag" != "$REGISTRY_ONLY_VERSION" ] || [ "$repo" != "$NS/demo" ]; then
        [ "$(local_digest "$ref")" = "$digest" ] || fail "$ref: local digest $(local_digest "$ref") != registry $digest"
      fi
    done
    say "registry $repo: $tags"
  done
  ! docker image inspect "$DEMO:$REGISTRY_ONLY_VERSION" >/dev/null 2>&1 \
    || fail "$DEMO:$REGISTRY_ONLY_VERSION should not be present locally"
  say "every tag has a Docker-Content-Digest equal to the local RepoDigest; $DEMO:$REGISTRY_ONLY_VERSION is registry-only"
}

# ---------------------------------------------------------------- stopping
stop_pid() {  # stop_pid PID NAME: SIGTERM, wait STOP_TIMEOUT, then SIGKILL
  local pid=$1 name=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 $((STOP_TIMEOUT * 4))); do
    kill -0 "$pid" 2>/dev/null || { say "$name (pid $pid) stopped"; return 0; }
    sleep 0.25
  done
  warn "$name (pid $pid) still running after ${STOP_TIMEOUT}s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}
# dockerd normally stops the containerd it started; after a SIGKILL it may not have.
stop_our_containerd() {
  local f="$DOCKER_EXEC_ROOT/containerd/containerd.pid"
  if is_ours "$f" containerd "--config $DOCKER_EXEC_ROOT/containerd/containerd.toml"; then
    stop_pid "$(cat "$f")" "containerd left by our dockerd"
  fi
}

# A dockerd that ended without its shutdown (SIGKILL, a machine snapshot taken mid-run) leaves
# containerd's task state and every container's mounts under the exec and data roots. A reboot
# would empty /run; here nothing does, and the next containerd then spends longer cleaning up
# each dead task than dockerd waits for it ("timeout waiting for containerd to start"). When no
# process of that engine is alive, that state describes nothing: unmount it and drop it.
engine_process_alive() {
  local f
  for f in /proc/[0-9]*/cmdline; do
    tr '\0' ' ' <"$f" 2>/dev/null | grep -qF -- "$DOCKER_EXEC_ROOT/containerd" && return 0
  done
  return 1
}
clear_stale_engine_state() {
  local tasks="$DOCKER_EXEC_ROOT/containerd/daemon/io.containerd.runtime.v2.task" n mounts
  stop_our_containerd
  if engine_process_alive; then
    say "a containerd or shim of $DOCKER_EXEC_ROOT is still alive: leaving its state alone"
    return 0
  fi
  # no tasks directory at all (a machine whose engine never ran): find fails, and that means 0
  n=$({ find "$tasks" -mindepth 2 -maxdepth 2 -type d 2>/dev/null || true; } | wc -l)
  mounts=$(awk -v d="$DOCKER_DATA_ROOT/" -v e="$DOCKER_EXEC_ROOT/" \
    'index($2, d) == 1 || index($2, e) == 1' /proc/self/mounts | wc -l)
  [ "$n" -gt 0 ] || [ "$mounts" -gt 0 ] || return 0
  say "clearing what an engine that did not shut down left: $n container task dirs, $mounts mounts"
  release_mounts >/dev/null
  rm -rf "$tasks" "$DOCKER_EXEC_ROOT/containerd/containerd.pid"
}

# dockerd leaves its data root bind-mounted (and, after a hard stop, maybe more) under the
# roots it was given; once OUR dockerd is gone, unmount those, deepest first.
release_mounts() {
  local m
  awk -v d="$DOCKER_DATA_ROOT" -v e="$DOCKER_EXEC_ROOT" \
    '$2 == d || index($2, d "/") == 1 || $2 == e || index($2, e "/") == 1 { print $2 }' /proc/self/mounts \
    | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "could not unmount $m"
        say "unmounted $m"
      done
}

cmd_down() {
  local stopped=0
  if is_ours "$OUR_REGISTRY_PID" docker-registry "$(registry_marker)"; then
    stop_pid "$(cat "$OUR_REGISTRY_PID")" docker-registry; stopped=$((stopped + 1))
  elif registry_answers; then
    say "registry on $REGISTRY_ADDR was not started by this script: left running"
  fi
  rm -f "$OUR_REGISTRY_PID"
  if is_ours "$OUR_DOCKERD_PID" dockerd "$(dockerd_marker)"; then
    stop_pid "$(cat "$OUR_DOCKERD_PID")" dockerd; stopped=$((stopped + 1))
    stop_our_containerd
    release_mounts
  elif docker_answers; then
    say "Docker engine on $DOCKER_SOCK was not started by this script: left running"
  fi
  rm -f "$OUR_DOCKERD_PID"
  say "down: stopped $stopped process(es) of ours"
}

# ---------------------------------------------------------------- status and summary
cmd_status() {
  local owner pid
  if docker_answers; then
    owner="not started by this script"
    if is_ours "$OUR_DOCKERD_PID" dockerd "$(dockerd_marker)"; then owner="ours, pid $(cat "$OUR_DOCKERD_PID")"
    elif [ -s "$DOCKER_PIDFILE" ]; then pid=$(cat "$DOCKER_PIDFILE"); owner="$owner, pid $pid"; fi
    say "engine:   running on $DOCKER_SOCK ($owner): $(docker version --format '{{.Server.Version}}, API {{.Server.APIVersion}}'), driver $(docker info --format '{{.Driver}}')"
    say "images:   $(docker images --format '{{.Repository}}:{{.Tag}}' "$REG/$NS/*" | sort | tr '\n' ' ')"
  else
    say "engine:   not answering on $DOCKER_SOCK"
  fi
  if registry_answers; then
    owner="not started by this script"
    is_ours "$OUR_REGISTRY_PID" docker-registry "$(registry_marker)" && owner="ours, pid $(cat "$OUR_REGISTRY_PID")"
    say "registry: running on $REGISTRY_ADDR ($owner); catalog $(curl -fsS -m 5 "http://$REGISTRY_ADDR/v2/_catalog" | tr -d '\n')"
  else
    say "registry: not answering on $REGISTRY_ADDR"
  fi
  say "state:    $STATE_DIR"
}

summary() {
  local repo
  say "---------------------------------------------------------------- summary"
  say "engine:     $(docker version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}') on $DOCKER_SOCK"
  say "storage:    $(docker info --format '{{.Driver}}') in $(docker info --format '{{.DockerRootDir}}')"
  say "compose v1: $(docker-compose version --short 2>/dev/null || echo 'not found')"
  say "compose v2: $(docker compose version --short 2>/dev/null || "$COMPOSE_PLUGIN_DIR/docker-compose" version --short 2>/dev/null || echo 'not found')"
  say "registry:   http://$REGISTRY_ADDR (image prefix $REG/$NS/)"
  for repo in demo demo-health demo-broken; do
    say "  $NS/$repo: $(curl -fsS -m 5 "http://$REGISTRY_ADDR/v2/$NS/$repo/tags/list" | tr -d '\n')"
  done
  say "use with:   export DOCKER_HOST=$DOCKER_HOST"
}

cmd_up() {
  [ "$(id -u)" = 0 ] || { warn "must run as root"; exit 1; }
  mkdir -p "$STATE_DIR"
  local t0; t0=$(ms)
  step "install packages" install_packages
  step "start or reuse dockerd" start_dockerd
  step "remove leftovers of killed benchmarks" sweep_dead_bench_runs
  step "start or reuse registry" start_registry
  step "install compose v2 plugin" install_compose_v2
  RECIPE=$(recipe_id)
  step "build images" build_images
  step "smoke-test images" smoke_test_images
  step "push images" push_images
  step "verify registry" verify_registry
  summary
  say "environment up in $(( $(ms) - t0 ))ms; stop what this script started with: $0 down"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status   (see the header of this file for the environment variables)" >&2; exit 2 ;;
esac
