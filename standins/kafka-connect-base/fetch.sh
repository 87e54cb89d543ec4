#!/usr/bin/env bash
# Fills build/ with what the Containerfile copies, all resolved by Maven on the host:
#   build/kafka/                        Kafka Connect 4.1 runtime + log4j2 (Connect's classpath)
#   build/apicurio-registry-converter/  Apicurio Avro converter plugin folder
#   build/plugin-store/<owner>/<name>/<version>/  what the confluent-hub stand-in installs
# build.sh runs it on an empty build/ whenever a file of this directory changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"
cd "$here"

mvn -q -B -P runtime dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$build/kafka"
mvn -q -B -P converter dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$build/apicurio-registry-converter"

# Maven coordinates of a Debezium plugin archive -> the confluent-hub component it stands in for.
plugins=(
  "io.debezium:debezium-connector-postgres:3.4.0.Final:tar.gz:plugin debezium/debezium-connector-postgresql:3.4.0 source"
  "io.debezium:debezium-connector-jdbc:3.4.0.Final:tar.gz:plugin debezium/debezium-connector-jdbc:3.4.0 sink"
)
for entry in "${plugins[@]}"; do
  read -r coords component kind <<<"$entry"
  owner=${component%%/*}; rest=${component#*/}; name=${rest%%:*}; version=${rest#*:}
  tmp=$(mktemp -d "$build/.unpack.XXXXXX")
  mvn -q -B dependency:copy -Dartifact="$coords" -DoutputDirectory="$tmp"
  target="$build/plugin-store/$owner/$name/$version"
  mkdir -p "$target/lib"
  # Debezium archives hold one top folder with the jars and docs; confluent-hub layouts keep jars in lib/.
  tar -xzf "$tmp"/*.tar.gz -C "$tmp"
  find "$tmp" -mindepth 2 -maxdepth 2 -name '*.jar' -exec mv -t "$target/lib" {} +
  mkdir -p "$target/doc"
  find "$tmp" -mindepth 2 -maxdepth 2 -type f ! -name '*.jar' -exec mv -t "$target/doc" {} +
  cat >"$target/manifest.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "owner": { "username": "$owner" },
  "component_types": ["$kind"],
  "source": "Maven $coords"
}
JSON
  rm -rf "$tmp"
done
