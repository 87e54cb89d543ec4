#!/usr/bin/env node
// The `ksql-e2e` command. An old Node.js stops first, saying which one is needed. tsx is registered so that a
// team's pipeline.ts loads as it is written; the command itself runs in this same process (Ctrl-C reaches it
// directly): the package's built JavaScript, or the TypeScript of the harness's own repository.
import "./require-node.mjs";
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

register();
const built = new URL("./main.js", import.meta.url);
await import(existsSync(built) ? built.href : new URL("./main.ts", import.meta.url).href);
