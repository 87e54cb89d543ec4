#!/usr/bin/env node
// The `ksql-e2e` command: runs cli/main.ts through tsx (a devDependency) in this same process,
// so that Ctrl-C reaches the command itself and nothing has to forward signals.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
