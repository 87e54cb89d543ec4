#!/usr/bin/env bash
# Sourced by .ci/run: installs and configures Podman as the Docker-API engine testcontainers talks to.
# On a machine with Docker, set DOCKER_HOST yourself and skip this file.
set -euo pipefail

install_podman() {
  if command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null \
    && [[ -x /usr/lib/cni/dnsname ]] && [[ -x /usr/sbin/dnsmasq ]] && command -v ss >/dev/null; then return; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap uidmap \
    containernetworking-plugins golang-github-containernetworking-plugin-dnsname dnsmasq-base iproute2 >/dev/null
}

# runc: crun fails on this host's hybrid cgroup layout; cgroupfs: there is no systemd;
# no default ulimits: setting them fails with "setrlimit: Operation not permitted";
# CNI with dnsname (dnsmasq) for container names: Debian 12's aardvark-dns 1.4 rebinds its sockets on every
# container that joins or leaves a network (containers/aardvark-dns#389), and a lookup in that moment waits
# 8-10 s or fails (seen here: Schema Registry died with "No resolvable bootstrap urls" while Connect and
# ksqlDB joined). Measured with 45 joins/leaves around a resolver loop: netavark 1 lookup of ~30 took 10 s;
# CNI 0 of 430 over 74 ms.
configure_podman() {
  mkdir -p /etc/containers
  cat >/etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = []

[network]
network_backend = "cni"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
}

start_api_service() {
  local socket_dir=${XDG_RUNTIME_DIR:-/run}/ksql-e2e
  mkdir -p "$socket_dir"
  PODMAN_SOCKET="$socket_dir/podman.sock"
  if ! curl -sf --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1; then
    rm -f "$PODMAN_SOCKET"
    nohup podman system service --time=0 "unix://$PODMAN_SOCKET" >"$socket_dir/podman-service.log" 2>&1 &
    for _ in $(seq 1 100); do
      curl -sf --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    curl -sf --unix-socket "$PODMAN_SOCKET" http://d/_ping >/dev/null || {
      echo "podman API service did not start; log:" >&2; tail -20 "$socket_dir/podman-service.log" >&2; return 1; }
  fi
  export DOCKER_HOST="unix://$PODMAN_SOCKET"
  # Ryuk needs an image we cannot pull; the harness removes its own containers and networks.
  export TESTCONTAINERS_RYUK_DISABLED=true
  # Without it testcontainers resolves mapped ports on the Podman bridge gateway.
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
}

install_podman
configure_podman
start_api_service
