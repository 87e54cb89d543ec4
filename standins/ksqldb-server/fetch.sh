#!/usr/bin/env bash
# Fills build/libs with the ksqlDB server's runtime classpath, resolved by Maven on the host, and checks that the main
# classes are there. CONFLUENT_M2_URL (the folder built from Confluent's source) is set by build.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${CONFLUENT_M2_URL:?set by build.sh}"
mvn -q -B -f "$here/pom.xml" -Dconfluent.m2.url="$CONFLUENT_M2_URL" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$here/build/libs"
# The testing tool's own runtime needs (it is a dependency of ksqldb-rest-app, but ksqlDB's BOM makes Kafka's test
# clients test-scoped): added beside the server's, as ksqldb-package adds them to Confluent's package ("Required for
# ksqldb-test-runner").
mvn -q -B -f "$here/testing-tool.pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$here/build/libs"
rm -rf "$here/build/target"
for main in libs/ksqldb-rest-app:io/confluent/ksql/rest/server/KsqlServerMain libs/ksqldb-cli:io/confluent/ksql/Ksql \
  libs/ksqldb-testing-tool:io/confluent/ksql/tools/test/SqlTestingTool; do
  unzip -Z1 "$here"/build/"${main%%:*}"-8.*.jar | grep -x "${main#*:}.class" >/dev/null \
    || { echo "${main#*:} is not in the resolved ${main%%:*} jar" >&2; exit 1; }
done
