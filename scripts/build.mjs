// Builds the package into dist/: JavaScript and declarations of core/, containers/, helpers/ and cli/ (tests
// left out), and the files they read at run time: the Connect image's Dockerfile and the command's plain
// JavaScript launcher, which checks the Node.js version before anything else loads.
import { execFileSync } from "node:child_process";
import { chmod, cp, rm } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ASSETS = [
  "cli/ksql-e2e.mjs",
  "cli/require-node.mjs",
  "cli/node-version.mjs",
  "cli/node-version.d.mts",
  "containers/kafka-connect/Dockerfile",
  "containers/query-engine/QueryLaneServer.java",
  "containers/query-engine/log4j2.properties",
];

await rm("dist", { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { stdio: "inherit" });
for (const asset of ASSETS) await cp(asset, `dist/${asset}`);
await chmod("dist/cli/ksql-e2e.mjs", 0o755);
console.error("built dist/");
