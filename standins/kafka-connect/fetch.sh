#!/usr/bin/env bash
# Fills build/ with what the Containerfile copies, resolved by Maven on the host (CONFLUENT_M2_URL: the folder built
# from Confluent's source, set by build.sh):
#   build/kafka-serde-tools/                      Confluent's Avro, JSON Schema and Protobuf converters
#   build/plugin-store/<owner>/<name>/<version>/  what the confluent-hub stand-in installs: only components Confluent
#                                                 Hub carries (no Debezium: the Hub has only old versions of it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"
cd "$here"
: "${CONFLUENT_M2_URL:?set by build.sh}"
mvn_q() { mvn -q -B -Dconfluent.m2.url="$CONFLUENT_M2_URL" "$@"; }

mvn_q -P serde-tools dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$build/kafka-serde-tools"

# manifest OWNER NAME VERSION KIND SOURCE: the manifest.json of a confluent-hub component folder.
manifest() {
  cat <<JSON
{
  "name": "$2",
  "version": "$3",
  "owner": { "username": "$1" },
  "component_types": ["$4"],
  "source": "$5"
}
JSON
}

# Confluent's JDBC connector, built from Confluent's source: the jar and its runtime dependencies (the drivers).
jdbc_version=$(sed -n 's:.*<confluent.jdbc.version>\(.*\)</confluent.jdbc.version>.*:\1:p' pom.xml)
target="$build/plugin-store/confluentinc/kafka-connect-jdbc/$jdbc_version"
mvn_q -P confluent-jdbc dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$target/lib"
manifest confluentinc kafka-connect-jdbc "$jdbc_version" sink "Maven io.confluent:kafka-connect-jdbc:$jdbc_version" >"$target/manifest.json"
