#!/usr/bin/env bash
# The consumer pass: the package as a team gets it, in a folder outside the repository.
#   1. npm pack;  2. npm install <tarball> in a fresh folder;  3. ksql-e2e init --from the team's files (kept in
#   .ci/consumer/payments, copied into the fresh repository as a team keeps them in its own);  4. ksql-e2e record
#   for the scaffolded scenario;  5. npx vitest run;  6. npm run test:queries (the recording, checked by the lane).
# Writes the last run's JUnit report to reports/junit-consumer.xml, and checks that the consumer's files hold no
# copy of harness code. Uses the engine and images of the calling shell.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ksql-e2e-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$repo"

echo "--- 1. npm pack"
tarball=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
echo "$tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"

echo "--- 2. npm install <tarball> in a fresh folder"
mkdir "$work/team-repo"
cp -r .ci/consumer/payments "$work/team-repo/pipeline-files"
cd "$work/team-repo"
npm init -y >/dev/null
npm install --no-audit --no-fund "$work/$tarball"

echo "--- 3. npx ksql-e2e init --from pipeline-files --name payments"
npx ksql-e2e init --from pipeline-files --name payments
npx ksql-e2e check fixtures/payments/pipeline.ts

echo "--- 4. npx ksql-e2e record scenarios/payments/payments.test.ts"
npx ksql-e2e record scenarios/payments/payments.test.ts
cat scenarios/payments/payments.expected.ts

echo "--- 5. npx vitest run"
status=0
CI=true npx vitest run --outputFile.junit="$repo/reports/junit-consumer.xml" || status=$?

echo "--- 6. npm run test:queries (the same story and recording on ksqlDB's testing engine, no services)"
CI=true npm run test:queries -- --outputFile.junit="$repo/reports/junit-consumer-queries.xml" || status=$?

echo "--- the consumer's own files (no harness code: it all comes from the package)"
files=$(find . -path ./node_modules -prune -o -path ./pipeline-files -prune -o -path ./failure-bundles -prune -o -path ./reports -prune \
  -o -path ./.e2e -prune -o -type f ! -name package-lock.json -print | sort)
wc -l $files
if grep -lE "^(export )?(async )?(class|function) (PipelineRun|waitUntil|assertSinkTableEquals|loadPipeline|readSinkTable)\b" $files; then
  echo "the files above define harness code" >&2
  status=1
fi
exit "$status"
