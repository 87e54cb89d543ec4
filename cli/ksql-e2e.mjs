#!/usr/bin/env node
// The `ksql-e2e` command: runs cli/main.ts through tsx in this same process, so that Ctrl-C reaches the
// command itself and nothing has to forward signals. An old Node.js stops first, saying which one is needed.
import "./require-node.mjs";
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
