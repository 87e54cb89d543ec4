// Prints "[<label>: ]N passed, N failed, N skipped" from vitest's JUnit reports (summed over the files given), or
// with --seconds S "[<label>: ]N passed, N failed in S s (N skipped)",
// after every skipped test with its reason (the reason is part of its suite or test name) and every failed
// test with the start of its message, so that the end of the CI log says what failed.
// usage: node .ci/junit-summary.mjs [--label <label>] [--seconds <s>] [<junit.xml>...]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const labelAt = args.indexOf("--label");
const label = labelAt >= 0 ? args.splice(labelAt, 2)[1] : undefined;
const secondsAt = args.indexOf("--seconds");
const seconds = secondsAt >= 0 ? args.splice(secondsAt, 2)[1] : undefined;
const files = args.length > 0 ? args : ["reports/junit.xml"];
const cases = [];
let missing = false;
// Runs that left no report, or one without tests: each counts as a failure, so no summary reads "0 failed" then.
let unfinished = 0;
for (const file of files) {
  let found;
  try {
    found = [...readFileSync(file, "utf8").matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)];
  } catch {
    console.log(`failed: no JUnit report at ${file}: the test run did not finish`);
    missing = true;
    unfinished++;
    continue;
  }
  // A run that ended before its tests (its stack did not start, no file matched) reports no test case at all.
  if (found.length === 0) {
    console.log(`failed: ${file} holds no test: the run ended before its tests (see the log above)`);
    missing = true;
    unfinished++;
  }
  cases.push(...found);
}
let passed = 0,
  failed = 0,
  skipped = 0;
const skippedNames = [];
const failures = [];
for (const [, attrs, , body = ""] of cases) {
  const name = decode(/\sname="([^"]*)"/.exec(attrs)?.[1] ?? "?");
  const suite = decode(/classname="([^"]*)"/.exec(attrs)?.[1] ?? "");
  if (/<(failure|error)\b/.test(body)) {
    failed++;
    const message = decode(/<(?:failure|error)\b[^>]*\smessage="([^"]*)"/.exec(body)?.[1] ?? "(no message)");
    failures.push(`${suite} > ${name}\n    ${message.replace(/\s+/g, " ").slice(0, 400)}`);
  } else if (/<skipped\b/.test(body)) {
    skipped++;
    skippedNames.push(`${suite} > ${name}`);
  } else passed++;
}
for (const name of skippedNames) console.log(`skipped: ${name}`);
for (const failure of failures) console.log(`failed: ${failure}`);
const counts =
  seconds === undefined
    ? `${passed} passed, ${failed + unfinished} failed, ${skipped} skipped`
    : `${passed} passed, ${failed + unfinished} failed in ${seconds} s (${skipped} skipped)`;
console.log(`${label ? `${label}: ` : ""}${counts}`);
process.exit(failed > 0 || missing || cases.length === 0 ? 1 : 0);

function decode(text) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
