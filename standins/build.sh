#!/usr/bin/env bash
# Builds the local stand-in images (Podman) that replace the official images on machines without an image registry.
#
# Each standins/<dir>/ with a Containerfile is one image:
#   Containerfile  starts with `ARG BASE_IMAGE` / `FROM ${BASE_IMAGE}`; it may also declare `ARG E2E_<X>_IMAGE`
#                  (a variable of images.env, e.g. E2E_KAFKA_IMAGE) to build on an image built earlier in ORDER;
#   image.env      one line IMAGE=localhost/ksql-e2e-standin/<name>:<tag>;
#   fetch.sh       optional, fills <dir>/build/ (gitignored) with artifacts resolved by Maven on the host, from Maven
#                  Central and from the Confluent components built from source (CONFLUENT_M2_URL, below); run on an
#                  empty build/ whenever a file of the dir or of that folder changed, skipped otherwise.
# An image is rebuilt only when its content hash (files of the dir, names and sizes under build/, the base image
# and the images it builds on) differs from the ksql-e2e.content-hash label of the existing image.
# Writes standins/images.env (export E2E_*_IMAGE=...) for every image that is up to date.
#
# E2E_CONFLUENT_M2: the Maven repository of Confluent Platform components built from Confluent's public source (ksqlDB,
# Schema Registry, the converters, the JDBC connector); default ../shared/confluent/m2 beside this repository.
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
ORDER=(postgres cp-kafka schema-registry kafka-connect ksqldb-server)
declare -A VAR_OF=(
  [postgres]=E2E_POSTGRES_IMAGE
  [cp-kafka]=E2E_KAFKA_IMAGE
  [schema-registry]=E2E_SCHEMA_REGISTRY_IMAGE
  [kafka-connect]=E2E_CONNECT_IMAGE
  [ksqldb-server]=E2E_KSQLDB_IMAGE
)

confluent_m2=${E2E_CONFLUENT_M2:-$root/../../shared/confluent/m2}
if [[ ! -d $confluent_m2/io/confluent ]]; then
  echo "[standins] no Confluent Maven repository at $confluent_m2 (E2E_CONFLUENT_M2): the stand-ins of Schema Registry," >&2
  echo "[standins] Connect (its converters and JDBC sink) and ksqlDB are built from it. Point E2E_CONFLUENT_M2 at it." >&2
  exit 1
fi
confluent_m2=$(cd "$confluent_m2" && pwd)
export CONFLUENT_M2_URL="file://$confluent_m2"
# What a fetch depends on besides its own files: the Confluent artifacts (names and sizes).
confluent_m2_hash=$(cd "$confluent_m2" && find . -type f \( -name '*.jar' -o -name '*.pom' \) -printf '%p %s\n' | LC_ALL=C sort | sha256sum | cut -c1-16)
LABEL=ksql-e2e.content-hash
log_dir=$root/.build-logs
mkdir -p "$log_dir"

# One build at a time: a second concurrent run would repeat the debootstrap and race on the tags.
exec 9>"$log_dir/.lock"
if ! flock -n 9; then
  echo "[standins] another build.sh is running; waiting for it"
  flock 9
fi

declare -A built_image=() built_hash=()
summary=()
failed=()
start_all=$SECONDS

say() { printf '[standins %4ss] %s\n' "$((SECONDS - start_all))" "$*"; }

fail() {
  local name=$1 logfile=$2 what=$3
  say "FAILED: $name ($what); last 30 lines of $logfile:"
  tail -n 30 "$logfile" | sed 's/^/    | /'
  failed+=("$name")
}

# Hash of the image directory's own files (build/ excluded) and of the Confluent artifacts its fetch may use.
source_hash() {
  { (cd "$1" && find . -path ./build -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum); echo "$confluent_m2_hash"; } \
    | sha256sum | cut -c1-16
}

# Stable hash of what goes into an image: file paths, modes and contents of the dir (build/ excluded),
# the names and sizes of build/, and the given extra strings (base image, parent image hashes).
content_hash() {
  local dir=$1
  shift
  {
    (cd "$dir" && find . -path ./build -prune -o -type f -printf '%p %m\n' | LC_ALL=C sort)
    (cd "$dir" && find . -path ./build -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
    if [[ -d $dir/build ]]; then
      (cd "$dir/build" && find . -type f -printf '%p %s\n' | LC_ALL=C sort)
    fi
    printf '%s\n' "$@"
  } | sha256sum | cut -c1-16
}

image_label() {
  podman image inspect --format "{{ index .Labels \"$LABEL\" }}" "$1" 2>/dev/null || true
}

build_one() {
  local name=$1 dir=$root/$1 logfile=$log_dir/$1.log
  local image t0=$SECONDS
  : >"$logfile"

  image=$(sed -n 's/^IMAGE=//p' "$dir/image.env" | head -n 1)
  if [[ -z $image ]]; then
    echo "no IMAGE= line in $dir/image.env" >>"$logfile"
    fail "$name" "$logfile" "image.env"
    return
  fi

  if [[ -x $dir/fetch.sh ]]; then
    # build/ is filled anew whenever anything in the image's directory changed.
    local stamp
    stamp="$dir/build/.fetched-$(source_hash "$dir")"
    if [[ -f $stamp ]]; then
      say "$name: artifacts up to date"
    else
      say "$name: fetching artifacts (fetch.sh)"
      rm -rf "$dir/build"
      mkdir -p "$dir/build"
      if ! "$dir/fetch.sh" >>"$logfile" 2>&1; then
        fail "$name ($image)" "$logfile" "fetch.sh"
        return
      fi
      touch "$stamp"
    fi
  fi

  local -a build_args=(--build-arg "BASE_IMAGE=$base_image")
  local -a hash_inputs=("$base_image")
  local parent var
  for parent in "${ORDER[@]}"; do
    var=${VAR_OF[$parent]}
    if grep -Eq "^[[:space:]]*ARG[[:space:]]+$var([[:space:]=]|$)" "$dir/Containerfile"; then
      if [[ -z ${built_image[$parent]:-} ]]; then
        echo "$name needs $var, but $parent is not built (missing or failed)" >>"$logfile"
        fail "$name ($image)" "$logfile" "missing parent image"
        return
      fi
      build_args+=(--build-arg "$var=${built_image[$parent]}")
      hash_inputs+=("$var=${built_image[$parent]}@${built_hash[$parent]}")
    fi
  done

  local hash
  hash=$(content_hash "$dir" "${hash_inputs[@]}")
  if podman image exists "$image" && [[ $(image_label "$image") == "$hash" ]]; then
    say "$name: $image is up to date ($hash)"
    summary+=("$(printf '%-20s %-56s up to date' "$name" "$image")")
  else
    say "$name: building $image ($hash), log: $logfile"
    if ! podman build --format docker --pull=never "${build_args[@]}" \
      --label "$LABEL=$hash" -t "$image" -f "$dir/Containerfile" "$dir" >>"$logfile" 2>&1; then
      fail "$name ($image)" "$logfile" "podman build"
      return
    fi
    say "$name: built in $((SECONDS - t0))s"
    summary+=("$(printf '%-20s %-56s built in %ss' "$name" "$image" "$((SECONDS - t0))")")
  fi
  built_image[$name]=$image
  built_hash[$name]=$hash
}

say "base: building or reusing the Debian base image"
t0=$SECONDS
base_image=$("$root/base/build-base.sh" | tail -n 1)
say "base: $base_image ($((SECONDS - t0))s)"

for name in "${ORDER[@]}"; do
  if [[ -f $root/$name/Containerfile ]]; then
    build_one "$name"
  else
    say "$name: no Containerfile, skipped"
  fi
done

env_file=$root/images.env
{
  echo "# Written by standins/build.sh: stand-in images built on this machine."
  for name in "${ORDER[@]}"; do
    if [[ -n ${built_image[$name]:-} ]]; then
      echo "export ${VAR_OF[$name]}=${built_image[$name]}"
    fi
  done
} >"$env_file"

echo
echo "Stand-in images (total $((SECONDS - start_all))s):"
printf '  %s\n' "${summary[@]}"
echo "Wrote $env_file"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
