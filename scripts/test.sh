#!/usr/bin/env bash
# Docksmith's test command:
#   scripts/test.sh [extra mvn args...]
# 1. scripts/test-env.sh up   - Docker engine, local registry and demo images (reuses a running
#                                engine/registry; see that script's header for its env vars)
# 2. mvn -B verify -Ddocksmith.requireDocker=true [extra args]   from the repository root
# Exits with Maven's exit code. The environment is left up so tests can be rerun quickly;
# stop what test-env.sh started with: scripts/test-env.sh down
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
now() { date +%s; }

t0=$(now)
if ! bash scripts/test-env.sh up; then
  echo "test.sh: the Docker test environment did not come up (see the FAILED step above); no tests run" >&2
  exit 1
fi
t_env=$(( $(now) - t0 ))

# The integration tests talk to the same engine and registry the environment script used.
export DOCKER_HOST="unix://${DOCKER_SOCK:-/var/run/docker.sock}"
REGISTRY_ADDR=${REGISTRY_ADDR:-127.0.0.1:5000}
export DOCKSMITH_TEST_REGISTRY="localhost:${REGISTRY_ADDR##*:}"

t1=$(now)
rc=0
mvn -B verify -Ddocksmith.requireDocker=true "$@" || rc=$?
t_mvn=$(( $(now) - t1 ))

echo "test.sh: environment ${t_env}s, mvn verify ${t_mvn}s, mvn exit code $rc"
echo "test.sh: the Docker test environment is still up for reruns; stop it with: scripts/test-env.sh down"
exit "$rc"
