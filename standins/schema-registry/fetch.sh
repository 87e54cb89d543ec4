#!/usr/bin/env bash
# Fills build/ with the Apicurio Registry distribution (Quarkus fast-jar tarball) resolved by Maven on the host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"
stamp="$build/.fetched-$(cat "$here/pom.xml" "$0" | sha256sum | cut -c1-12)"
[[ -f $stamp ]] && exit 0
rm -rf "$build"
mkdir -p "$build"
(cd "$here" && mvn -q -B dependency:copy -DoutputDirectory="$build")
touch "$stamp"
