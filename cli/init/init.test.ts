import { describe, expect, it } from "vitest";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import { ksqlRunOrder } from "./ksql-order.js";
import { sampleRows } from "./sample-rows.js";
import { scaffold, ScaffoldError, SCRIPTS } from "./scaffold.js";
import { sourceTablesOf } from "../../helpers/pipeline/source-tables.js";
import { classify, type TeamFile } from "./team-files.js";

const DDL = `CREATE TABLE public.merchants (merchant_id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE payments (
  payment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id integer NOT NULL REFERENCES public.merchants (merchant_id),
  amount numeric(10, 2) NOT NULL,
  status text NOT NULL CHECK (status IN ('captured', 'declined')),
  code char(2),
  paid_at timestamp(3) NOT NULL,
  tags text[] NOT NULL DEFAULT '{}'
);`;
const source = JSON.stringify({
  name: "cdc",
  config: { "connector.class": "io.debezium.connector.postgresql.PostgresConnector", "topic.prefix": "p" },
});
const sink = JSON.stringify({ "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", topics: "merchant_totals" });

describe("what init makes of a team's files", () => {
  it("tells DDL, ksqlDB statements and connectors apart, and says why it uses none of the rest", () => {
    expect(classify("db/V1.sql", DDL).kind).toBe("source-ddl");
    expect(classify("db/V2.sql", "CREATE INDEX i ON payments (merchant_id);").kind).toBe("source-ddl");
    expect(
      classify("ksql/a.sql", "SET 'auto.offset.reset'='earliest'; CREATE STREAM s WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');").kind,
    ).toBe("ksql");
    expect(classify("c/source.json", source).kind).toBe("source-connector");
    expect(classify("c/sink.json", sink).kind).toBe("sink-connector");
    const reasons = [
      classify("both.sql", `${DDL}\nCREATE STREAM s WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');`),
      classify("seed.sql", "SELECT 1;"),
      classify("broken.sql", "CREATE TABLE x (a text DEFAULT 'open"),
      classify(
        "mm.json",
        JSON.stringify({ name: "mm", config: { "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector" } }),
      ),
      classify("package.json", "{}"),
      classify("bad.json", "{"),
      classify("worker.properties", "a=b"),
      classify("README.md", "# hi"),
    ].map((f) => (f.kind === "unclassified" ? f.reason : f.kind));
    expect(reasons).toEqual([
      expect.stringMatching(/holds ksqlDB statements \(line 11\) and PostgreSQL DDL \(line 1\)/),
      expect.stringMatching(/neither PostgreSQL DDL/),
      expect.stringMatching(/unterminated string/),
      expect.stringMatching(/connector.class org.apache.kafka.connect.mirror.MirrorSourceConnector/),
      expect.stringMatching(/not a connector/),
      expect.stringMatching(/not valid JSON/),
      expect.stringMatching(/\.properties/),
      "not a .sql or .json file",
    ]);
  });

  it("reads the captured tables' columns and the constraints that decide their values", () => {
    const [merchants, payments] = sourceTablesOf(splitStatements(DDL, "ddl.sql"));
    expect(merchants?.name).toBe("merchants");
    expect(payments?.columns.map((c) => [c.name, c.type])).toEqual([
      ["payment_id", "bigint"],
      ["merchant_id", "integer"],
      ["amount", "numeric(10,2)"],
      ["status", "text"],
      ["code", "char(2)"],
      ["paid_at", "timestamp(3)"],
      ["tags", "text[]"],
    ]);
    expect(payments?.columns[0]).toMatchObject({ primaryKey: true, generated: true });
    expect(payments?.columns[1]).toMatchObject({ notNull: true, references: { table: "merchants", column: "merchant_id" } });
    expect(payments?.columns[3]?.allowed).toEqual(["captured", "declined"]);
  });

  it("writes a first story that the database accepts: parents first, allowed values, no value for an identity", () => {
    const tables = sourceTablesOf(splitStatements(DDL, "ddl.sql")).reverse();
    const [first, second] = sampleRows(tables);
    expect(first?.table).toBe("merchants");
    expect(second?.rows[1]).toEqual([
      ["merchant_id", "2"],
      ["amount", '"20.50"'],
      ["status", '"declined"'],
      ["code", '"-2"'],
      ["paid_at", 'new Date("2026-03-02T10:04:00.000Z")'],
      ["tags", "[]"],
    ]);
  });

  it("runs a file that creates a stream before the files that read it, numbered files in their numbers' order", () => {
    const file = (path: string, text: string) => ({ path, statements: splitStatements(text, path) });
    const order = ksqlRunOrder([
      file("ksql/a-totals.sql", "CREATE TABLE totals AS SELECT k, COUNT(*) FROM flat GROUP BY k EMIT CHANGES;"),
      file("ksql/z-flat.sql", "CREATE STREAM flat AS SELECT * FROM cdc EMIT CHANGES;"),
      file("ksql/10-late.sql", "CREATE STREAM late AS SELECT * FROM flat EMIT CHANGES;"),
      file("ksql/9-early.sql", "CREATE STREAM early AS SELECT * FROM flat EMIT CHANGES;"),
    ]);
    expect(order.map((f) => f.path)).toEqual(["ksql/z-flat.sql", "ksql/9-early.sql", "ksql/10-late.sql", "ksql/a-totals.sql"]);
  });

  it("points the definition at the team's files where they are, and refuses a folder without a source", () => {
    const files: TeamFile[] = [classify("db/V1.sql", DDL), classify("connect/source.json", source), classify("connect/sink.json", sink)];
    const [pipeline, scenario] = scaffold({ name: "payments", from: "team", files });
    expect(pipeline?.content).toContain(
      'source: { ddl: file("../../team/db/V1.sql"), connector: file("../../team/connect/source.json") },',
    );
    expect(pipeline?.content).toContain('merchant_totals: file("../../team/connect/sink.json"),');
    expect(scenario?.path).toBe("scenarios/payments/payments.test.ts");
    expect(scenario?.content).toContain("await run.expectRecordedTables(recorded);");
    expect(() => scaffold({ name: "payments", from: "team", files: files.slice(0, 1) })).toThrow(ScaffoldError);
  });

  it("opts a scenario with ksqlDB statements into the queries lane, and adds its script", () => {
    const ksql = classify("ksql/totals.sql", "CREATE STREAM s WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');");
    const withKsql = scaffold({
      name: "payments",
      from: "team",
      files: [classify("db/V1.sql", DDL), classify("connect/source.json", source), ksql],
    });
    expect(withKsql[1]?.content).toMatch(/describeWithKsqlDb\([\s\S]*\}, \{ queryLane: true \}\);\n$/);
    const without = scaffold({
      name: "payments",
      from: "team",
      files: [classify("db/V1.sql", DDL), classify("connect/source.json", source)],
    });
    expect(without[1]?.content).not.toContain("queryLane");
    expect(SCRIPTS["test:queries"]).toBe("vitest run --project queries");
  });
});
