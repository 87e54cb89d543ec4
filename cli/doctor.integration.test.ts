import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const engine = process.env.DOCKER_HOST;
const cwd = new URL("..", import.meta.url).pathname;

/** `ksql-e2e doctor` as a user runs it: its output and exit code. */
async function doctor(env: NodeJS.ProcessEnv, node = process.execPath): Promise<{ code: number; out: string; ms: number }> {
  const started = Date.now();
  return run(node, ["cli/ksql-e2e.mjs", "doctor"], { cwd, env: { ...process.env, E2E_STACK_FILE: "", ...env }, timeout: 60_000 })
    .then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    )
    .then((r) => ({ ...r, ms: Date.now() - started }));
}

describe.skipIf(!engine)(`ksql-e2e doctor${engine ? "" : " [skipped: DOCKER_HOST is not set, no container engine]"}`, () => {
  it("passes on this machine's stack configuration, in a few seconds, saying which engine it found", async () => {
    const result = await doctor({});
    expect(result.out).toMatch(/ ok {4}container engine: (Docker|Podman) \S+ at unix:\/\//);
    expect(result.out).toContain("A run can start.");
    expect(result.code).toBe(0);
  });

  it("a DOCKER_HOST that answers nothing fails, with the fix, and exit code 1", async () => {
    const result = await doctor({ DOCKER_HOST: "unix:///nonexistent/engine.sock" });
    expect(result.code).toBe(1);
    expect(result.out).toContain("FAIL  container engine: DOCKER_HOST=unix:///nonexistent/engine.sock answers nothing");
    expect(result.out).toMatch(/fix: start Docker .* point DOCKER_HOST at it/);
    expect(result.out).toContain("A run cannot start until the failures are fixed.");
  });

  it("a missing image fails, naming the variable that changes it", async () => {
    const result = await doctor({ E2E_KAFKA_IMAGE: "localhost/ksql-pipeline-e2e/no-such-kafka:8.1.0" });
    expect(result.code).toBe(1);
    expect(result.out).toContain("FAIL  image kafka: localhost/ksql-pipeline-e2e/no-such-kafka:8.1.0 is not here");
    expect(result.out).toContain(
      "fix: pull it (docker pull localhost/ksql-pipeline-e2e/no-such-kafka:8.1.0), or point E2E_KAFKA_IMAGE at an image you have",
    );
  });

  it("Ryuk on (as Docker users have it) with no reaper image fails, naming TESTCONTAINERS_RYUK_DISABLED", async () => {
    const result = await doctor({
      TESTCONTAINERS_RYUK_DISABLED: "false",
      RYUK_CONTAINER_IMAGE: "localhost/ksql-pipeline-e2e/no-such-ryuk:0.14.0",
    });
    expect(result.code).toBe(1);
    expect(result.out).toContain("FAIL  image ryuk (testcontainers' reaper): localhost/ksql-pipeline-e2e/no-such-ryuk:0.14.0 is not here");
    expect(result.out).toContain("TESTCONTAINERS_RYUK_DISABLED=true");
  });
});

// The Node.js of Debian 12 (/usr/bin/node) is 20: the harness's gate must stop it before anything crashes.
const oldNode = "/usr/bin/node";
const oldNodeVersion = existsSync(oldNode) ? (await run(oldNode, ["-p", "process.versions.node"])).stdout.trim() : undefined;
const isOld = oldNodeVersion !== undefined && Number(oldNodeVersion.split(".")[0]) < 22;
describe.skipIf(!isOld)(
  `on an old Node.js${isOld ? ` (${oldNode} ${oldNodeVersion})` : " [skipped: no Node.js older than 22 at /usr/bin/node on this machine]"}`,
  () => {
    it("ksql-e2e stops at once with the version needed and how to get it", async () => {
      const result = await doctor({}, oldNode);
      expect(result.code).toBe(1);
      expect(result.out).toContain(
        `needs Node.js 22.22.0 or newer (testcontainers 12 and vitest 5 need it); this is Node.js ${oldNodeVersion}`,
      );
      expect(result.out).toContain("fix: install Node.js 22 or 24");
      expect(result.out).not.toMatch(/TypeError|SyntaxError|is not a function/);
    });
  },
);
