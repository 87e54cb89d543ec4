#!/usr/bin/env bash
# Resolves the Kafka broker and tool jars (pom.xml) with Maven into build/libs and checks that every main class
# the launchers use (bin/tools.txt, kafka.Kafka) is there. build.sh runs it on an empty build/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
libs=$here/build/libs
mkdir -p "$libs"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$libs"
rm -rf "$here/build/target"

classes=$(for jar in "$libs"/*.jar; do unzip -Z1 "$jar"; done)
for main_class in kafka.Kafka $(grep -v '^#' "$here/bin/tools.txt" | awk '{print $2}'); do
  if ! grep -qxF "${main_class//.//}.class" <<<"$classes"; then
    echo "main class $main_class is not in the resolved jars" >&2
    exit 1
  fi
done
