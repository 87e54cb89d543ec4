#!/usr/bin/env bash
# Fills build/libs with Schema Registry's runtime classpath, resolved by Maven on the host, and checks that the main
# class is there. CONFLUENT_M2_URL (the folder built from Confluent's source) is set by build.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${CONFLUENT_M2_URL:?set by build.sh}"
mvn -q -B -f "$here/pom.xml" -Dconfluent.m2.url="$CONFLUENT_M2_URL" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$here/build/libs"
rm -rf "$here/build/target"
unzip -Z1 "$here"/build/libs/kafka-schema-registry-8.*.jar | grep -x 'io/confluent/kafka/schemaregistry/rest/SchemaRegistryMain.class' >/dev/null \
  || { echo "SchemaRegistryMain is not in the resolved kafka-schema-registry jar" >&2; exit 1; }
