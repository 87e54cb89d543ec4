#!/usr/bin/env bash
# Removes the target cluster of start-cluster.sh: its containers (with their volumes) and network, and its run folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=${CONTAINER_CLI:-podman}
ids=$("$cli" ps -aq --filter label=ksql-pipeline-e2e.target=1)
if [[ -n $ids ]]; then "$cli" rm -f -v $ids >/dev/null; fi
"$cli" network rm ksql-e2e-target >/dev/null 2>&1 || true
rm -rf "${TARGET_RUN_DIR:-$here/run}"
echo "target cluster removed"
