import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SourceWrite } from "../../fixtures/bank/rows.js";
import { bankPipeline } from "../../fixtures/bank/pipeline.js";
import { beforeTheConnector } from "../../fixtures/bank/stories/cdc.js";
import { snapshotAccounts } from "../../fixtures/bank/expected/cdc.js";
import { accountColumns } from "../../fixtures/bank/expected/columns.js";
import {
  column,
  ConnectorRequestError,
  MissingPluginError,
  PipelineFailedError,
  PipelineRun,
  SinkTableMismatchError,
  SourceWriteError,
  TableSpecError,
  writeFailureBundle,
} from "ksql-pipeline-e2e";
import { Connector } from "ksql-pipeline-e2e/stack";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

const SERVICE_LOGS = {
  postgres: "postgres.log",
  kafka: "kafka.log",
  schemaRegistry: "schema-registry.log",
  connect: "connect.log",
  ksqldb: "ksqldb.log",
};

describe("CDC to sink: what a failure looks like", () => {
  const stack = inject("stack");
  let pipeline: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      pipeline = await PipelineRun.create(stack, bankPipeline, "failure-output");
      await pipeline.write(beforeTheConnector().writes);
      await pipeline.startSource();
      await pipeline.startSinks("account");
      await pipeline.waitUntilDrained();
    }),
  );

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  // One deliberately wrong expectation, awaited by the tests that look at its outcome. The pipeline has drained:
  // the table is final, and the expectation must say so once it has stopped changing, not at the data deadline.
  let mismatch: Promise<{ error: unknown }> | undefined;
  const wrongExpectation = () =>
    (mismatch ??= (async () => {
      const error = await pipeline
        .expectSinkTable(
          "account",
          accountColumns,
          snapshotAccounts.map((row) => (row.account_id === "bob" ? { ...row, account_balance: 75 } : row)),
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      return { error };
    })());

  it("a wrong value on a settled table fails once it has settled, saying the table will not change any more", async () => {
    // Said only when the wait stops early, before the data deadline: no wall-clock bound needed (nor wanted).
    const { error } = await wrongExpectation();
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    expect((error as Error).message).toMatch(
      /the pipeline has processed everything written \(nothing in flight\) and the table has not changed for \d/,
    );
  });

  it("a wrong expectation fails with a diff naming the table, the changed cell and the scenario's connector states", async () => {
    const { error } = await wrongExpectation();
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    const message = (error as Error).message;
    expect(message).toContain(pipeline.sinkTable("account"));
    expect(message).toContain("account_balance: 75 → 50");
    expect(message).toMatch(/connector RUNNING/);
  });

  it("a wrong expectation leaves a failure bundle with logs, connectors, ksqlDB queries, topic tails, sink dumps and the diff", async () => {
    const { error } = await wrongExpectation();
    const baseDir = await mkdtemp(join(tmpdir(), "ksql-e2e-bundle-"));
    try {
      const dir = await writeFailureBundle(stack, {
        testName: "deliberate sink mismatch",
        error,
        namespacePrefix: pipeline.namespace.id,
        baseDir,
      });
      const table = pipeline.sinkTable("account");
      const accountTopic = pipeline.topicOf("account");
      const expectedFiles = [
        ...Object.keys(stack.containerIds).map((service) => SERVICE_LOGS[service as keyof typeof SERVICE_LOGS]),
        "connectors.json",
        "connectors.txt",
        "ksqldb-queries.json",
        "topics/README.txt",
        `topics/${accountTopic}.json`,
        "sink/README.txt",
        `sink/${table}.csv`,
        "diff.txt",
        "summary.txt",
      ];
      for (const file of expectedFiles) {
        const size = await stat(join(dir, file)).then(
          (s) => s.size,
          () => -1,
        );
        expect(size, `${file} in ${dir}`).toBeGreaterThan(0);
      }
      expect(
        (await listFiles(dir)).filter((f) => f.endsWith(".error.txt")),
        `parts that failed in ${dir}`,
      ).toEqual([]);

      const read = (file: string) => readFile(join(dir, file), "utf8");
      expect(await read("diff.txt")).toContain(table);
      expect(await read("diff.txt")).toContain("account_balance: 75 → 50");
      expect(await read(`sink/${table}.csv`)).toMatch(/^account_id,/m);
      expect(await read(`sink/${table}.csv`)).toContain("bob");
      expect(await read("connectors.txt")).toContain(pipeline.pipeline.source.connector.name);
      const topic = JSON.parse(await read(`topics/${accountTopic}.json`)) as { records: Array<{ value: { op?: string } }> };
      expect(topic.records.map((r) => r.value.op)).toContain("r");
      const ksql = JSON.parse(await read("ksqldb-queries.json")) as { available: boolean };
      expect(ksql.available).toBe(stack.ksqldb.available);
    } finally {
      await rm(baseDir, { recursive: true, force: true });
    }
  });

  it("a sink keyed on a column that does not exist stops the drain at the FAILED task, not its deadline, naming the column", async () => {
    const keyedWrongly = await PipelineRun.create(stack, bankPipeline, "bad-keys", {
      rewriteSinkConfig: (sink, config) => (sink === "account" ? { ...config, "pk.fields": "no_such_column" } : config),
    });
    try {
      await keyedWrongly.write(beforeTheConnector().writes);
      await keyedWrongly.startSource();
      await keyedWrongly.startSinks("account");
      const error = await keyedWrongly.waitUntilDrained().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PipelineFailedError);
      const message = (error as Error).message;
      expect(message).toContain(`connector ${keyedWrongly.namespace.connectorName("postgresql-sink-connector-account")} task 0 FAILED`);
      // A PipelineFailedError is the wait stopping at the FAILED task, not at its deadline (that is a timeout).
      expect(message).toContain("no_such_column");
    } finally {
      await keyedWrongly.cleanup();
    }
  });

  it("an expectation naming a column the sink table lacks fails before any polling, naming the column", async () => {
    const spec = { ...pipeline.sinkTableSpec("account", accountColumns), columns: { ...accountColumns, balance_eur: column.integer } };
    const error = await pipeline
      .expectSinkTable(
        "account",
        () => spec,
        snapshotAccounts.map((row) => ({ ...row, balance_eur: 0 })),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    expect((error as Error).message).toMatch(/has no column\(s\) balance_eur \(it has .*account_balance/);
    expect((error as Error).message).toMatch(/stopped after [\d.]+ s and 1 read: /);
  });

  it("an expectation whose own key is not the sink's fails before any read, naming both keys and the connector file", async () => {
    const spec = { ...pipeline.sinkTableSpec("account", accountColumns), key: ["account_holder_name"] };
    const error = await pipeline
      .expectSinkTable("account", () => spec, snapshotAccounts)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TableSpecError);
    expect((error as Error).message).toMatch(
      /sink account: the expectation's key \(account_holder_name\) is not the key its connector file \S+ declares \(account_id\)/,
    );
  });

  it("a connector config the worker rejects fails at once, naming the connector and the setting", async () => {
    const bad = pipeline.pipeline.source.connector
      .renamed(pipeline.namespace.connectorName("bad-source"))
      .with({ "plugin.name": "no-such-decoder" });
    const error = await pipeline.connect.createOrReplace(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorRequestError);
    expect((error as Error).message).toContain(bad.name);
    expect((error as Error).message).toMatch(/plugin\.name/);
  });

  it("a connector whose plugin is not installed names the missing plugin class", async () => {
    const missing = new Connector(pipeline.namespace.connectorName("no-plugin"), { "connector.class": "com.example.NoSuchConnector" });
    const error = await pipeline.connect.createOrReplace(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingPluginError);
    expect((error as Error).message).toContain("com.example.NoSuchConnector");
  });

  it("a source insert that violates the schema names the statement and the row", async () => {
    const invalid: SourceWrite = {
      table: "bank_transaction",
      op: "insert",
      row: { id: 99, date: new Date("2026-03-02T11:00:00Z"), account_id: "alice", amount: 10, type: "transfer" as "deposit" },
    };
    const error = await pipeline.write([invalid]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceWriteError);
    expect((error as Error).message).toContain(`INSERT INTO "${pipeline.namespace.sourceSchema}"."bank_transaction"`);
    expect((error as Error).message).toContain('"type":"transfer"');
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}
