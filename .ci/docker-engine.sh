#!/usr/bin/env bash
# Sourced by .ci/run: installs Debian's Docker (docker.io) and starts its daemon, as the second engine the
# suite runs on. Defines docker_env, which runs a command with the environment of a Docker user:
# DOCKER_HOST on Docker's socket, Ryuk off (its image cannot be had here: the Go module proxy refuses
# moby-ryuk), and no TESTCONTAINERS_HOST_OVERRIDE, so that testcontainers finds the bridge gateway as it
# does in a CI job or dev container that mounts the engine's socket (this machine has a /.dockerenv).
set -euo pipefail

DOCKER_SOCKET=/var/run/docker.sock

install_docker() {
  if command -v dockerd >/dev/null; then return; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
}

# overlay2 and cgroupfs (there is no systemd); --bip so that the default bridge network names its gateway, as
# Docker Engine and Docker Desktop report it (testcontainers reads it from there).
start_dockerd() {
  if curl -sf --unix-socket "$DOCKER_SOCKET" http://d/_ping >/dev/null 2>&1; then return; fi
  local log_dir=${XDG_RUNTIME_DIR:-/run}/ksql-e2e
  mkdir -p "$log_dir"
  nohup dockerd --host "unix://$DOCKER_SOCKET" --storage-driver overlay2 --exec-opt native.cgroupdriver=cgroupfs \
    --bip 172.17.0.1/16 >"$log_dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do
    curl -sf --unix-socket "$DOCKER_SOCKET" http://d/_ping >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "dockerd did not answer on $DOCKER_SOCKET within 60 s; its log:" >&2
  tail -30 "$log_dir/dockerd.log" >&2
  return 1
}

docker_env() {
  env -u TESTCONTAINERS_HOST_OVERRIDE DOCKER_HOST="unix://$DOCKER_SOCKET" TESTCONTAINERS_RYUK_DISABLED=true \
    CONTAINER_CLI="docker" "$@"
}

# The stand-in images built with Podman, loaded into Docker (one archive: shared layers go once).
load_standins() {
  local images=("$@")
  podman save --format docker-archive -m "${images[@]}" | docker -H "unix://$DOCKER_SOCKET" load
}

install_docker
start_dockerd
