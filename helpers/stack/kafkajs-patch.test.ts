import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// kafkajs (unmaintained since 2024) schedules its request-queue check with setTimeout(-1 - Date.now()):
// Node 24 prints a TimeoutNegativeWarning for it on every connection. patches/kafkajs+2.2.4.patch clamps
// the delay at 0 (npm ci applies it through patch-package).
describe("kafkajs on Node 24", () => {
  it("schedules no negative timeout when its request queue has nothing pending", () => {
    const script = `
      const RequestQueue = require("kafkajs/src/network/requestQueue/index.js");
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const queue = new RequestQueue({ instrumentationEmitter: { emit() {} }, maxInFlightRequests: 1, requestTimeout: 1000,
        enforceRequestTimeout: false, clientId: "test", broker: "localhost:9092", logger });
      process.on("warning", (warning) => { console.log("WARNING " + warning.name); });
      queue.scheduleCheckPendingRequests();
      setTimeout(() => { clearTimeout(queue.throttleCheckTimeoutId); console.log("done"); }, 20);`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: process.cwd() });
    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/TimeoutNegativeWarning/);
    expect(result.stdout).toContain("done");
  });
});
