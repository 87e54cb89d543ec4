import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { beforeTheConnector, snapshotAccounts } from "../../fixtures/cdc/bank-stories.js";
import { accountTable } from "../../fixtures/cdc/sink-tables.js";
import type { SourceWrite } from "../../helpers/bank/source-rows.js";
import { Connector } from "../../helpers/connect/connector.js";
import { ConnectorRequestError, MissingPluginError } from "../../helpers/connect/connect-errors.js";
import { SourceWriteError } from "../../helpers/bank/source-database.js";
import { CdcPipeline } from "../../helpers/scenario/cdc-pipeline.js";
import { assertSinkTableEquals, SinkTableMismatchError } from "../../helpers/sink/assert-sink-table.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

describe("CDC to sink: what a failure looks like", () => {
  const stack = inject("stack");
  let pipeline: CdcPipeline;

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await CdcPipeline.create(stack, "failure-output");
    await pipeline.write(beforeTheConnector().writes);
    await pipeline.startSourceConnector();
    await pipeline.startSink({
      topic: pipeline.namespace.topicFor("account"), table: pipeline.namespace.sinkTable("account"),
      keyColumns: ["account_id"], keySource: "record_key", debeziumEnvelope: true, deletes: true,
    });
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  it("a wrong expectation fails with a diff naming the table, the changed cell and the connector states", async () => {
    const table = pipeline.namespace.sinkTable("account");
    const wrong = snapshotAccounts.map((row) => (row.account_id === "bob" ? { ...row, account_balance: 75 } : row));
    const error = await assertSinkTableEquals(pipeline.sinkPool, accountTable(table), wrong, {
      timeoutMs: 20_000,
      diagnostics: pipeline.diagnostics,
    }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    const message = (error as Error).message;
    expect(message).toContain(table);
    expect(message).toContain("account_balance: 75 → 50");
    expect(message).toMatch(/connector RUNNING/);
  });

  it("a connector config the worker rejects fails at once, naming the connector and the setting", async () => {
    const bad = (await pipeline.sourceConnector()).renamed(pipeline.namespace.connectorName("bad-source")).with({ "plugin.name": "no-such-decoder" });
    const error = await pipeline.connect.createOrReplace(bad).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorRequestError);
    expect((error as Error).message).toContain(bad.name);
    expect((error as Error).message).toMatch(/plugin\.name/);
  });

  it("a connector whose plugin is not installed names the missing plugin class", async () => {
    const missing = new Connector(pipeline.namespace.connectorName("no-plugin"), { "connector.class": "com.example.NoSuchConnector" });
    const error = await pipeline.connect.createOrReplace(missing).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPluginError);
    expect((error as Error).message).toContain("com.example.NoSuchConnector");
  });

  it("a source insert that violates the schema names the statement and the row", async () => {
    const invalid: SourceWrite = {
      table: "bank_transaction", op: "insert",
      row: { id: 99, date: new Date("2026-03-02T11:00:00Z"), account_id: "alice", amount: 10, type: "transfer" as "deposit" },
    };
    const error = await pipeline.write([invalid]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SourceWriteError);
    expect((error as Error).message).toContain(`INSERT INTO ${pipeline.namespace.sourceSchema}.bank_transaction`);
    expect((error as Error).message).toContain('"type":"transfer"');
  });
});
