#!/usr/bin/env bash
# Builds dist/target/docksmith.jar and starts Docksmith against the local Docker engine
# (DOCKER_HOST, default unix:///var/run/docker.sock) on http://127.0.0.1:3000/api/.
# Options and environment are passed through: scripts/start.sh --port 3001 --data /var/lib/docksmith
# Data go to ./data (0700) and pre-update scripts are read from ./data/scripts (the default follows
# --data): never from this scripts/ folder, whose start.sh and test.sh are no pre-update checks.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -Dmaven.test.skip=true package -pl dist -am
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options)
# An older JVM refuses a flag it does not know (Java 17 before 17.0.9: -XX:TrimNativeHeapInterval);
# run without such a flag rather than not at all, and say so.
if ! java "${jvm_options[@]}" -version >/dev/null 2>&1; then
  usable=()
  for o in "${jvm_options[@]}"; do
    # with the ones before it, as some only make sense together (MaxHeapFreeRatio after MinHeapFreeRatio)
    if java "${usable[@]}" "$o" -version >/dev/null 2>&1; then usable+=("$o"); else echo "start.sh: this JVM refuses $o; starting without it" >&2; fi
  done
  jvm_options=("${usable[@]}")
fi
# glibc's per-thread malloc arenas cost resident memory for nothing in a mostly idle service.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec java "${jvm_options[@]}" -jar dist/target/docksmith.jar "$@"
