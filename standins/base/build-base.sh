#!/usr/bin/env bash
# Builds the Debian bookworm root filesystem every stand-in image starts FROM, and imports it into Podman.
# Skips the work when an image with the same package list already exists (the tag carries the list's hash).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packages=$(grep -v '^#' "$here/packages.txt" | xargs | tr ' ' ',')
# Contents only: the tag must not depend on the path the script was called by.
hash=$(cat "$here/packages.txt" "$here/build-base.sh" "$here/ub" "$here/bash-config" | sha256sum | cut -c1-12)
image="localhost/ksql-e2e-standin/base:bookworm-$hash"
if podman image exists "$image"; then echo "$image"; exit 0; fi
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
echo "building $image (debootstrap bookworm: $packages)" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" >"$rootfs.log" 2>&1 || { tail -30 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"
# The official images do not ship the apt lists or a main cluster; neither do we.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
# As in Confluent's base images: `ub` (ours stands in for Confluent's) and the scripts' shared bash-config.
install -m 0755 "$here/ub" "$rootfs/usr/bin/ub"
install -D -m 0644 "$here/bash-config" "$rootfs/etc/confluent/docker/bash-config"
tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "$image"
