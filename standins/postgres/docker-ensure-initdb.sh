#!/usr/bin/env bash
# Initialises $PGDATA like the entrypoint does (if it is not yet), then exits without starting the server.
# Useful as an init step: docker run ... IMAGE docker-ensure-initdb.sh [server args]
set -Eeuo pipefail
# shellcheck source=docker-entrypoint.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/docker-entrypoint.sh"

if [[ ${1:-} != postgres ]]; then
  set -- postgres "$@"
fi
ensure_initialized "$(readlink -f "${BASH_SOURCE[0]}")" "$@"
