import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cwd = new URL("../..", import.meta.url).pathname;

describe("failOnUnsettledExit", () => {
  it("turns a process that ends with its main promise pending into exit code 1 with a message", async () => {
    const result = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `
      const { failOnUnsettledExit } = await import("./helpers/stack/unsettled-exit.ts");
      let settled = false;
      failOnUnsettledExit("demo", () => settled);
      new Promise(() => undefined).finally(() => { settled = true; });
    `,
      ],
      { cwd },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("demo: stopped while still waiting for something that can never finish");
  });

  it("leaves a process whose main promise settled alone", async () => {
    const { stderr } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `
      const { failOnUnsettledExit } = await import("./helpers/stack/unsettled-exit.ts");
      let settled = false;
      failOnUnsettledExit("demo", () => settled);
      Promise.resolve().finally(() => { settled = true; });
    `,
      ],
      { cwd },
    );
    expect(stderr).toBe("");
  });
});
