import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { beforeTheConnector, snapshotAccounts } from "../../fixtures/cdc/bank-stories.js";
import { accountTable } from "../../fixtures/cdc/sink-tables.js";
import { writeFailureBundle } from "../../helpers/diagnostics/failure-bundle.js";
import { CdcPipeline } from "../../helpers/scenario/cdc-pipeline.js";
import { assertSinkTableEquals, SinkTableMismatchError } from "../../helpers/sink/assert-sink-table.js";

const SERVICE_LOGS = { postgres: "postgres.log", kafka: "kafka.log", schemaRegistry: "schema-registry.log", connect: "connect.log", ksqldb: "ksqldb.log" };

describe("failure bundle of a failed sink assertion", () => {
  const stack = inject("stack");
  let pipeline: CdcPipeline;
  let baseDir: string;

  beforeAll(async ({}, suite) => {
    pipeline = await CdcPipeline.create(stack, "failure-bundle");
    // Were this test to fail, the hook's own bundle would keep to this scenario's topics and tables.
    Object.assign(suite.meta, { namespacePrefix: pipeline.namespace.id });
    baseDir = await mkdtemp(join(tmpdir(), "ksql-e2e-bundle-"));
    await pipeline.write(beforeTheConnector().writes);
    await pipeline.startSourceConnector();
    await pipeline.startSink({
      topic: pipeline.namespace.topicFor("account"), table: pipeline.namespace.sinkTable("account"),
      keyColumns: ["account_id"], keySource: "record_key", debeziumEnvelope: true, deletes: true,
    });
  });

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  it("holds logs, connectors, ksqlDB queries, topic tails, sink dumps and the diff", async () => {
    const table = pipeline.namespace.sinkTable("account");
    const wrong = snapshotAccounts.map((row) => (row.account_id === "bob" ? { ...row, account_balance: 75 } : row));
    let failure: unknown;
    try {
      await assertSinkTableEquals(pipeline.sinkPool, accountTable(table), wrong, { timeoutMs: 20_000, diagnostics: pipeline.diagnostics });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SinkTableMismatchError);

    const dir = await writeFailureBundle(stack, {
      testName: "deliberate sink mismatch",
      error: failure,
      namespacePrefix: pipeline.namespace.id,
      baseDir,
    });
    const accountTopic = pipeline.namespace.topicFor("account");
    const expectedFiles = [
      ...Object.keys(stack.containerIds).map((service) => SERVICE_LOGS[service as keyof typeof SERVICE_LOGS]),
      "connectors.json", "connectors.txt", "ksqldb-queries.json",
      "topics/README.txt", `topics/${accountTopic}.json`,
      "sink/README.txt", `sink/${table}.csv`,
      "diff.txt", "summary.txt",
    ];
    for (const file of expectedFiles) {
      const size = await stat(join(dir, file)).then((s) => s.size, () => -1);
      expect(size, `${file} in ${dir}`).toBeGreaterThan(0);
    }
    const all = await listFiles(dir);
    expect(all.filter((f) => f.endsWith(".error.txt")), `parts that failed in ${dir}`).toEqual([]);

    const read = (file: string) => readFile(join(dir, file), "utf8");
    expect(await read("diff.txt")).toContain(table);
    expect(await read("diff.txt")).toContain("account_balance: 75 → 50");
    expect(await read(`sink/${table}.csv`)).toMatch(/^account_id,/m);
    expect(await read(`sink/${table}.csv`)).toContain("bob");
    expect(await read("connectors.txt")).toContain(pipeline.namespace.connectorName("source"));
    const topic = JSON.parse(await read(`topics/${accountTopic}.json`)) as { records: Array<{ value: { op?: string } }> };
    expect(topic.records.length).toBeGreaterThan(0);
    expect(topic.records.map((r) => r.value.op)).toContain("r");
    const ksql = JSON.parse(await read("ksqldb-queries.json")) as { available: boolean };
    expect(ksql.available).toBe(stack.ksqldb.available);

    await rm(baseDir, { recursive: true, force: true });
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}
