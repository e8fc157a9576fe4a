#!/usr/bin/env bash
# Builds dist/target/docksmith.jar and starts Docksmith against the local Docker engine
# (DOCKER_HOST, default unix:///var/run/docker.sock) on http://127.0.0.1:3000/api/.
# Options and environment are passed through: scripts/start.sh --port 3001 --data /var/lib/docksmith
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -Dmaven.test.skip=true package -pl dist -am
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' scripts/jvm.options)
# glibc's per-thread malloc arenas cost resident memory for nothing in a mostly idle service.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec java "${jvm_options[@]}" -jar dist/target/docksmith.jar "$@"
