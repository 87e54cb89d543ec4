// Prints the closing line CI reads ("N passed, N failed, N skipped") from vitest's JUnit report,
// after every skipped test with its reason (the reason is part of its suite or test name) and every failed
// test with the start of its message, so that the end of the CI log says what failed.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "reports/junit.xml";
let xml;
try {
  xml = readFileSync(file, "utf8");
} catch {
  console.error(`no JUnit report at ${file}: the test run did not finish`);
  process.exit(1);
}
const cases = [...xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)];
let passed = 0, failed = 0, skipped = 0;
const skippedNames = [];
const failures = [];
for (const [, attrs, , body = ""] of cases) {
  const name = decode(/\sname="([^"]*)"/.exec(attrs)?.[1] ?? "?");
  const suite = decode(/classname="([^"]*)"/.exec(attrs)?.[1] ?? "");
  if (/<(failure|error)\b/.test(body)) {
    failed++;
    const message = decode(/<(?:failure|error)\b[^>]*\smessage="([^"]*)"/.exec(body)?.[1] ?? "(no message)");
    failures.push(`${suite} > ${name}\n    ${message.replace(/\s+/g, " ").slice(0, 400)}`);
  }
  else if (/<skipped\b/.test(body)) { skipped++; skippedNames.push(`${suite} > ${name}`); }
  else passed++;
}
for (const name of skippedNames) console.log(`skipped: ${name}`);
for (const failure of failures) console.log(`failed: ${failure}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || cases.length === 0 ? 1 : 0);

function decode(text) {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
