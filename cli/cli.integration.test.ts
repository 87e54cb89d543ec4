import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveImages } from "../containers/images.js";

const CLI = fileURLToPath(new URL("./ksql-e2e.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ksql-e2e-cli-"));

/** A state file whose stack is gone: every address is a closed port. */
function staleStateFile(): string {
  const closed = "127.0.0.1:9";
  const pg = { host: "127.0.0.1", port: 9, user: "postgres", password: "x", sourceDatabase: "postgres", sinkDatabase: "sink" };
  const state = {
    version: 1,
    stackId: "kdeadbeef",
    sessionId: undefined,
    createdAt: new Date(Date.now() - 470_000).toISOString(),
    startupMs: 30_000,
    volumes: [],
    endpoints: {
      images: resolveImages({}),
      network: "ksql-e2e-kdeadbeef",
      containerIds: { postgres: "a", kafka: "b", schemaRegistry: "c", connect: "d", ksqldb: "e" },
      postgres: { fromHost: pg, inNetwork: { ...pg, host: "postgres", port: 5432 } },
      kafka: { bootstrapServersFromHost: closed, bootstrapServersInNetwork: "kafka:9092" },
      schemaRegistry: { urlFromHost: `http://${closed}`, urlInNetwork: "http://schema-registry:8081" },
      connect: { urlFromHost: `http://${closed}`, urlInNetwork: "http://connect:8083" },
      ksqldb: { available: true, urlFromHost: `http://${closed}`, urlInNetwork: "http://ksqldb:8088" },
    },
  };
  const file = join(dir, "stale.json");
  writeFileSync(file, JSON.stringify(state));
  return file;
}

function cli(args: string[], stateFile = join(dir, "none.json")): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, E2E_STACK_FILE: stateFile },
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("ksql-e2e apply checks every file before it deploys anything", () => {
  it("names each file that is missing or unreadable, says nothing was applied, and never reaches for the stack", () => {
    writeFileSync(join(dir, "bad.json"), "{ not json");
    writeFileSync(join(dir, "bad.sql"), "CREATE STREAM s WITH (KAFKA_TOPIC='unterminated);");
    const { code, out } = cli(["apply", join(dir, "missing.json"), join(dir, "bad.json"), join(dir, "bad.sql"), join(dir, "missing.sql")]);
    expect(code).toBe(1);
    expect(out).toContain("nothing applied: 4 of 4 file(s) cannot be applied");
    expect(out).toMatch(/missing\.json: no such file/);
    expect(out).toMatch(/bad\.json is not valid JSON/);
    expect(out).toMatch(/bad\.sql:1:.*unterminated string literal/);
    expect(out).toMatch(/missing\.sql: no such file/);
    // One message per problem, no doubled error codes (ENOENT ENOENT …), and no stack was needed to say so.
    expect(out).not.toMatch(/ENOENT/);
    expect(out).not.toContain("no stack state");
  });

  it("names a pipeline definition that does not export one", () => {
    writeFileSync(join(dir, "not-a-pipeline.ts"), "export const x = 1;\n");
    const { code, out } = cli(["apply", join(dir, "not-a-pipeline.ts")]);
    expect(code).toBe(1);
    expect(out).toMatch(/not-a-pipeline\.ts exports no pipeline definition/);
  });
});

describe("a state file whose stack is gone", () => {
  it("is called stale by status and apply, with the way out", () => {
    const state = staleStateFile();
    for (const args of [["status"], ["apply", "fixtures/bank/connectors/source.json"]]) {
      const { code, out } = cli(args, state);
      expect(code, out).toBe(1);
      expect(out).toContain("is stale: stack kdeadbeef does not answer");
      expect(out).toContain("'npm run e2e -- down'");
      expect(out).not.toMatch(/up for \d+ s/);
    }
  });
});
