import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// kafkajs (unmaintained since 2024) schedules its request-queue check with setTimeout(-1 - Date.now()) when nothing
// is pending: Node 24 prints a TimeoutNegativeWarning for it, once per process. Each case runs in a process of its
// own, so the once-only warning is there to be seen, or dropped.
const FILTER = new URL("./kafkajs-warning.ts", import.meta.url).href;

function warningsOf(body: string): string[] {
  const script = `
    const { createRequire } = await import("node:module");
    const require = createRequire(${JSON.stringify(import.meta.url)});
    const warnings = [];
    process.on("warning", (warning) => warnings.push(warning.name));
    const { quietKafkajsNegativeTimeouts } = await import(${JSON.stringify(FILTER)});
    const scheduleEmptyQueueCheck = () => {
      const RequestQueue = require("kafkajs/src/network/requestQueue/index.js");
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const queue = new RequestQueue({ instrumentationEmitter: { emit() {} }, maxInFlightRequests: 1, requestTimeout: 1000,
        enforceRequestTimeout: false, clientId: "test", broker: "localhost:9092", logger: () => logger });
      queue.scheduleCheckPendingRequests();
      clearTimeout(queue.throttleCheckTimeoutId);
    };
    ${body}
    setImmediate(() => console.log(JSON.stringify(warnings)));`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "null") as string[];
}

describe("kafkajs on Node 24", () => {
  it("warns of its negative timeout without the harness's filter (the fault is kafkajs's, and still there)", () => {
    expect(warningsOf("scheduleEmptyQueueCheck();")).toEqual(["TimeoutNegativeWarning"]);
  });

  it("is quiet with the filter", () => {
    expect(warningsOf("quietKafkajsNegativeTimeouts(); scheduleEmptyQueueCheck();")).toEqual([]);
  });

  it("lets every other warning through, someone else's negative timeout included", () => {
    const body = `quietKafkajsNegativeTimeouts(); clearTimeout(setTimeout(() => {}, -5)); process.emitWarning("x", "ExperimentalWarning");`;
    expect(warningsOf(body)).toEqual(["TimeoutNegativeWarning", "ExperimentalWarning"]);
  });
});
