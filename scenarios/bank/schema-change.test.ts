import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { BankEvents } from "../../fixtures/bank/stories/bank-events.js";
import { bankPipeline } from "../../fixtures/bank/pipeline.js";
import { column, notYet, PipelineRun, ready, type TableSpec, waitUntil } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

type AvroField = { name: string; type: unknown; default?: unknown };

/** The fields of the Debezium envelope's row record (`before` defines it, `after` names it) in an Avro value schema. */
function afterFields(schema: unknown): Map<string, AvroField> {
  const envelope = (schema as { fields: AvroField[] }).fields;
  const row = envelope
    .filter((f) => f.name === "before" || f.name === "after")
    .flatMap((f) => (Array.isArray(f.type) ? f.type : [f.type]))
    .find((t): t is { fields: AvroField[] } => typeof t === "object" && t !== null && Array.isArray((t as { fields?: unknown }).fields));
  if (row === undefined) throw new Error(`no row record in the envelope schema: ${JSON.stringify(schema).slice(0, 300)}`);
  return new Map(row.fields.map((f) => [f.name, f]));
}

/** The account sink table with the columns the source has at each step (the sink keeps a dropped one). */
const accountSink =
  (extra: Record<string, TableSpec["columns"][string]>) =>
  (table: string): TableSpec => ({
    table,
    key: ["account_id"],
    columns: { account_id: column.text, account_holder_name: column.text, account_balance: column.integer, ...extra },
  });

describeWithKsqlDb("schema changes: the captured account table evolves while changes flow", () => {
  const stack = inject("stack");
  let run: PipelineRun;
  let subject: string;
  const ksqlAfterColumns = async (): Promise<string[]> => {
    const description = await run.ksql.describeSource(run.ksqlObject("account_cdc"));
    return (description.fields.find((f) => f.name === "AFTER")?.fields ?? []).map((f) => `${f.name} ${f.sqlType}`);
  };
  /** The subject's versions once the registry has `count` of them: Debezium registers a schema with its first record. */
  const versions = async (count: number) =>
    waitUntil(
      async () => {
        const found = await run.registry.versions(subject);
        return found.length >= count ? ready(found) : notYet(`versions ${found.join(", ")}`);
      },
      {
        what: `${count} versions of ${subject}`,
        expected: `${count} versions`,
        whereToLook: "the registry: GET /subjects/<subject>/versions",
      },
    );

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "schema-changes");
      subject = `${run.topicOf("account")}-value`;
      // Given accounts captured, the bank's streams deployed and the account table sunk
      await run.write(
        new BankEvents()
          .openAccount("amy", { holder: "Amy Han", balance: 100 })
          .openAccount("bo", { holder: "Bo Seo", balance: 5 })
          .deposit("amy", 10, "2026-03-04T10:00:00Z").writes,
      );
      await run.startSource();
      await run.deployKsql();
      await run.startSinks("account");
      await run.expectSinkTable("account", accountSink({}), await run.source.rows("account"));
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the stream over the account topic starts with the table's three columns, schema version 1", async () => {
    expect(await versions(1)).toEqual([1]);
    expect(await ksqlAfterColumns()).toEqual(["ACCOUNT_ID STRING", "ACCOUNT_HOLDER_NAME STRING", "ACCOUNT_BALANCE INTEGER"]);
  });

  it("a nullable column added: a new compatible version, the sink adds the column, ksqlDB's stream keeps its old columns", async () => {
    await run.source.changeSchema("ALTER TABLE account ADD COLUMN branch varchar");
    await run.write([
      { table: "account", op: "update", row: { account_id: "amy", account_balance: 101, branch: "gangnam" } },
      { table: "account", op: "insert", row: { account_id: "cy", account_holder_name: "c", account_balance: 7, branch: "mapo" } },
    ]);
    // The sink adds the column with the first record that has it (auto.evolve; Debezium's schema.evolution)
    await run.expectSinkTable("account", accountSink({ branch: column.nullable("text") }), await run.source.rows("account"), {
      waitForColumns: true,
    });
    expect(await versions(2)).toEqual([1, 2]);
    expect(await run.registry.compatibility(subject)).toBe("BACKWARD");
    expect(afterFields((await run.registry.schema(subject, "latest")).schema).get("branch")).toMatchObject({
      type: ["null", "string"],
      default: null,
    });
    // ksqlDB inferred the stream's columns once, from version 1
    expect(await ksqlAfterColumns()).toEqual(["ACCOUNT_ID STRING", "ACCOUNT_HOLDER_NAME STRING", "ACCOUNT_BALANCE INTEGER"]);
  });

  it("a column added with a default: existing rows get it at the source, and in the sink through the column's default", async () => {
    await run.source.changeSchema("ALTER TABLE account ADD COLUMN currency varchar NOT NULL DEFAULT 'KRW'");
    await run.write([{ table: "account", op: "update", row: { account_id: "bo", currency: "USD" } }]);
    await run.expectSinkTable(
      "account",
      accountSink({ branch: column.nullable("text"), currency: column.nullable("text") }),
      await run.source.rows("account"),
      { waitForColumns: true },
    );
    expect(await versions(3)).toEqual([1, 2, 3]);
    expect(afterFields((await run.registry.schema(subject, "latest")).schema).get("currency")).toMatchObject({
      type: { type: "string", "connect.default": "KRW" },
      default: "KRW",
    });
  });

  it("a column dropped: the sink keeps it, with the last value of rows changed since and NULL for rows inserted since", async () => {
    await run.source.changeSchema("ALTER TABLE account DROP COLUMN branch");
    await run.write([
      { table: "account", op: "update", row: { account_id: "amy", account_balance: 102 } },
      { table: "account", op: "insert", row: { account_id: "di", account_holder_name: "d", account_balance: 8 } },
    ]);
    // Neither JDBC sink drops a column (auto.evolve, schema.evolution=basic only add); an upsert sets only
    // the columns a record has.
    const lastBranch: Record<string, string | null> = { amy: "gangnam", bo: null, cy: "mapo", di: null };
    const expected = (await run.source.rows("account")).map((row) => ({ ...row, branch: lastBranch[String(row.account_id)] ?? null }));
    await run.expectSinkTable("account", accountSink({ branch: column.nullable("text"), currency: column.nullable("text") }), expected);
    expect(await versions(4)).toEqual([1, 2, 3, 4]);
    expect(afterFields((await run.registry.schema(subject, "latest")).schema).has("branch")).toBe(false);
  });

  it("a type widened: the registry takes int to long; the sink's integer column rejects a larger value until the team widens it", async () => {
    await run.source.changeSchema("ALTER TABLE account ALTER COLUMN account_balance TYPE bigint");
    await run.write([
      { table: "account", op: "update", row: { account_id: "cy", account_balance: 5_000_000_000 } },
      { table: "account", op: "update", row: { account_id: "amy", account_balance: 9 } },
    ]);
    expect(await versions(5)).toEqual([1, 2, 3, 4, 5]);
    expect(afterFields((await run.registry.schema(subject, "latest")).schema).get("account_balance")).toMatchObject({ type: "long" });
    const spec = accountSink({ branch: column.nullable("text"), currency: column.nullable("text") });
    const expected = async () =>
      (await run.source.rows("account")).map((row) => ({
        ...row,
        branch: row.account_id === "cy" ? "mapo" : row.account_id === "amy" ? "gangnam" : null,
      }));
    // Evolution only adds columns: the sink's integer column stays, and 5 000 000 000 does not fit
    const failure = await run.expectSinkTable("account", spec, await expected()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String((failure as Error | undefined)?.message)).toMatch(/task 0 FAILED[\s\S]*integer out of range/);
    // When the team widens the sink column and restarts the failed task
    await run.sinkPool.query(`ALTER TABLE "${run.sinkTable("account")}" ALTER COLUMN account_balance TYPE bigint`);
    await run.connect.restart(run.pipeline.sinks.get("account")?.connector.name ?? "", { onlyFailed: true });
    await run.expectSinkTable("account", spec, await expected());
  });

  it("ksqlDB reads the widened changes with its old INTEGER column: it drops them, while its query stays RUNNING without error", async () => {
    const masked = run.topic("account_masked");
    await run.waitUntilDrained();
    const balances = (await run.topics.readAll(masked)).map((r) => Number((r.value as { ACCOUNT_BALANCE: number }).ACCOUNT_BALANCE));
    expect(balances).not.toContain(5_000_000_000);
    expect(balances).not.toContain(9);
    // Nothing in SHOW QUERIES or EXPLAIN tells: only DESCRIBE … EXTENDED counts the failed records.
    expect(await run.problems()).toBeUndefined();
    const { errorStats } = await run.ksql.describeSource(run.ksqlObject("account_cdc"), { extended: true });
    const failed = Number(/consumer-failed-messages:\s+(\d+)/.exec(errorStats ?? "")?.[1] ?? 0);
    expect(failed, `DESCRIBE account_cdc EXTENDED: ${errorStats}`).toBe(2);
  });

  it("re-created from the team's own statements, the streams take the current schema and the masked copy holds every change", async () => {
    await run.recreateKsql(["account_cdc", "account_masked"]);
    expect(await ksqlAfterColumns()).toEqual([
      "ACCOUNT_ID STRING",
      "ACCOUNT_HOLDER_NAME STRING",
      "ACCOUNT_BALANCE BIGINT",
      "CURRENCY STRING",
    ]);
    const masked = run.topic("account_masked");
    const changes = (await run.deliveredChangeEvents("account")).filter((e) => e.after !== null).length;
    const records = await waitUntil(
      async () => {
        const read = await run.topics.readAll(masked).catch(() => []);
        return read.length >= changes ? ready(read) : notYet(`${read.length} of ${changes} masked records`);
      },
      {
        what: `${masked} to hold a record for every account change`,
        expected: `${changes} records`,
        whereToLook: "SHOW QUERIES; the processing log",
      },
    );
    const balances = records.map((r) => Number((r.value as { ACCOUNT_BALANCE: number }).ACCOUNT_BALANCE));
    expect(balances).toContain(5_000_000_000);
    expect(balances.at(-1)).toBe(9);
  });
});
