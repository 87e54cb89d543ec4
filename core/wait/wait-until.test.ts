import { describe, expect, it } from "vitest";
import { GiveUp, notYet, ready, waitUntil, WaitTimeoutError } from "./wait-until.js";

const where = { what: "the thing", expected: "done", whereToLook: "the log" };

describe("waitUntil", () => {
  it("returns the value once the probe is done", async () => {
    let calls = 0;
    const value = await waitUntil(async () => (++calls < 3 ? notYet(`call ${calls}`) : ready("ok")), {
      ...where,
      pollIntervalMs: 1,
      timeoutMs: 5_000,
    });
    expect(value).toBe("ok");
    expect(calls).toBe(3);
  });

  it("times out with what was expected, the last thing seen and where to look", async () => {
    const error = await waitUntil(async () => notYet("still 2 rows"), { ...where, pollIntervalMs: 5, timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toMatch(/waiting for the thing/);
    expect((error as Error).message).toMatch(/expected: done/);
    expect((error as Error).message).toMatch(/last seen: still 2 rows/);
    expect((error as Error).message).toMatch(/where to look: the log/);
  });

  it("counts a throwing probe as not yet and reports its error", async () => {
    const error = await waitUntil(
      async () => {
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      },
      { ...where, pollIntervalMs: 5, timeoutMs: 40 },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/last seen: error: ECONNREFUSED connect ECONNREFUSED/);
  });

  it("stops at once on GiveUp and rethrows the error it carries", async () => {
    class TaskFailed extends Error {}
    let calls = 0;
    const error = await waitUntil(
      async () => {
        calls++;
        throw new GiveUp(new TaskFailed("task 0 FAILED"));
      },
      { ...where, pollIntervalMs: 5, timeoutMs: 5_000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailed);
    expect(calls).toBe(1);
  });
});
