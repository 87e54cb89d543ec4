#!/usr/bin/env bash
# Fills build/ with the Apicurio Registry distribution (Quarkus fast-jar tarball) resolved by Maven on the host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"
(cd "$here" && mvn -q -B dependency:copy -DoutputDirectory="$build")
