#!/usr/bin/env bash
# HEALTHCHECK of the image: the worker's REST API lists connectors.
set -euo pipefail
curl -sf -o /dev/null "http://${CONNECT_REST_ADVERTISED_HOST_NAME:-localhost}:${CONNECT_REST_PORT:-8083}/connectors"
