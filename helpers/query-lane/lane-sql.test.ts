import { describe, expect, it } from "vitest";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import { sourceTablesOf } from "../pipeline/source-tables.js";
import { CapturedTables } from "./change-events.js";
import { debeziumSettings } from "./debezium-types.js";
import { laneCaseFiles, type LaneCase } from "./lane-sql.js";

const [accounts] = sourceTablesOf(splitStatements("CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(10,2));", "schema.sql"));
const KSQL = `
CREATE STREAM accounts_cdc WITH (KAFKA_TOPIC = 'run1.public.accounts', VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'AVRO');
CREATE STREAM declared (id INT) WITH (KAFKA_TOPIC = 'run1.public.accounts', VALUE_FORMAT = 'JSON');
CREATE TABLE balances AS SELECT after->id AS id, LATEST_BY_OFFSET(after->balance) AS balance FROM accounts_cdc GROUP BY after->id;
`;
const T0 = Date.UTC(2026, 0, 1);

function laneCase(): LaneCase {
  if (accounts === undefined) throw new Error("the DDL declares accounts");
  const db = new CapturedTables([accounts], new Set(["accounts"]));
  db.apply({ table: "accounts", op: "insert", row: { id: 1, balance: 5 } }, T0);
  const events = [...db.snapshot(T0 + 1), ...db.apply({ table: "accounts", op: "delete", row: { id: 1 } }, T0 + 2)];
  return {
    name: "bank balances",
    properties: { "ksql.streams.default.dsl.store": "in_memory" },
    statements: splitStatements(KSQL, "pipeline.ksql"),
    capturedTopics: new Map([["run1.public.accounts", accounts]]),
    settings: debeziumSettings({}),
    events,
    origin: { name: "run1", db: "source", schema: "public" },
  };
}

describe("a queries-lane case", () => {
  it("writes out the columns the registry would give a captured topic's declaration, and leaves declared columns alone", () => {
    const { sql } = laneCaseFiles(laneCase());
    const lines = sql.split("\n");
    expect(lines[0]).toBe("--@test: bank-balances");
    expect(lines[1]).toBe("SET 'ksql.streams.default.dsl.store' = 'in_memory';");
    expect(sql).toContain(
      "CREATE STREAM accounts_cdc (ROWKEY STRUCT<`ID` INTEGER> KEY, BEFORE STRUCT<`ID` INTEGER, `BALANCE` DECIMAL(10,2)>, " +
        "AFTER STRUCT<`ID` INTEGER, `BALANCE` DECIMAL(10,2)>, SOURCE STRUCT<",
    );
    expect(sql).toContain(
      "OP STRING, TS_MS BIGINT, TS_US BIGINT, TS_NS BIGINT) WITH (PARTITIONS = 1, KAFKA_TOPIC = 'run1.public.accounts'",
    );
    expect(sql).toContain("CREATE STREAM declared (id INT) WITH (KAFKA_TOPIC");
    expect(sql).toContain("CREATE TABLE balances AS SELECT");
  });

  it("feeds each change event once per declaration of its topic, as Debezium's envelope", () => {
    const { inputs } = laneCaseFiles(laneCase());
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({
      topic: "run1.public.accounts",
      key: { ROWKEY: { ID: 1 } },
      value: {
        BEFORE: null,
        AFTER: { ID: 1, BALANCE: "5.00" },
        OP: "r",
        TS_MS: T0 + 1,
        SOURCE: { NAME: "run1", SNAPSHOT: "last", TABLE: "accounts" },
      },
      timestamp: T0 + 1,
    });
    expect(inputs[1]).toMatchObject({ key: { ROWKEY: { ID: 1 } }, value: { BEFORE: { ID: 1, BALANCE: null }, AFTER: null, OP: "d" } });
  });
});
