#!/usr/bin/env bash
# Fills build/libs with the ksqlDB server's runtime classpath, resolved by Maven on the host, and checks that the main
# classes are there. CONFLUENT_M2_URL (the folder built from Confluent's source) is set by build.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${CONFLUENT_M2_URL:?set by build.sh}"
mvn -q -B -f "$here/pom.xml" -Dconfluent.m2.url="$CONFLUENT_M2_URL" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$here/build/libs"
rm -rf "$here/build/target"
for main in ksqldb-rest-app:io/confluent/ksql/rest/server/KsqlServerMain ksqldb-cli:io/confluent/ksql/Ksql; do
  unzip -Z1 "$here"/build/libs/"${main%%:*}"-8.*.jar | grep -x "${main#*:}.class" >/dev/null \
    || { echo "${main#*:} is not in the resolved ${main%%:*} jar" >&2; exit 1; }
done
