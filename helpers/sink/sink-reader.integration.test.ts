/**
 * readSinkTable and assertSinkTableEquals against a real PostgreSQL in a container.
 * Needs E2E_POSTGRES_IMAGE (e.g. postgres:15 or localhost/ksql-e2e-standin/postgres:15).
 */
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from "@testcontainers/postgresql";
import pg from "pg";
import { Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertSinkTableEquals, SinkTableMismatchError } from "./assert-sink-table.js";
import { readSinkTable } from "./sink-reader.js";
import { column, type TableSpec } from "./table-spec.js";

const image = process.env.E2E_POSTGRES_IMAGE;
const title = image
  ? `sink table reading against ${image}`
  : "sink table reading against PostgreSQL (skipped: E2E_POSTGRES_IMAGE is not set; set it to a postgres:15-compatible image)";

/** Shaped like a Confluent JDBC sink table: ksqlDB's upper-case names, quoted. */
const balances: TableSpec = {
  table: "product_balances",
  key: ["product_id"],
  columns: {
    product_id: column.text,
    balance: column.decimal(2),
    tx_count: column.integer,
    updated_at: column.timestamp("utc"),
    active: column.boolean,
    note: column.nullable(column.text),
  },
};

/** Shaped like a Debezium JDBC sink table: unquoted, so lower case; the spec uses upper case. */
const events: TableSpec = {
  table: "PRODUCT_EVENTS",
  key: ["PRODUCT_ID", "SEQ"],
  columns: { PRODUCT_ID: column.text, SEQ: column.integer, AMOUNT: column.double(1e-9), AT: column.timestamp("utc") },
};

describe.skipIf(!image)(title, () => {
  let container: StartedPostgreSqlContainer | undefined;
  let pool: pg.Pool;

  beforeAll(async () => {
    container = await new PostgreSqlContainer(image ?? "")
      .withDatabase("sink")
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .withStartupTimeout(120_000)
      .start();
    pool = new pg.Pool({ connectionString: container.getConnectionUri(), max: 4 });
    // pool.end() resolves before its connections have closed (pg-pool ends them in the background), so the
    // container's shutdown can reach one still closing: PostgreSQL then sends it 57P01 "terminating connection
    // due to administrator command", an 'error' event that would end the test process (seen once on Docker).
    pool.on("error", () => undefined);
    await pool.query(`
      CREATE TABLE "PRODUCT_BALANCES" (
        "PRODUCT_ID" text PRIMARY KEY, "BALANCE" numeric(12, 2), "TX_COUNT" bigint,
        "UPDATED_AT" timestamp, "ACTIVE" boolean, "NOTE" text, "UNCHECKED" text);
      INSERT INTO "PRODUCT_BALANCES" VALUES
        ('s1a2_x', 10.5, 9007199254740993, '2024-01-15 10:30:00.123', true, NULL, 'ignored'),
        ('s1a2Xy', 1, 1, '2024-01-15 10:30:00', false, 'not mine: _ is literal', NULL),
        ('other', 2, 2, '2024-01-15 10:30:00', false, NULL, NULL);
      CREATE TABLE product_events (product_id text, seq bigint, amount double precision, at timestamptz,
        PRIMARY KEY (product_id, seq));
      INSERT INTO product_events VALUES ('a1', 1, 0.1 + 0.2, '2024-01-15 11:30:00+01'), ('a1', 2, 5, '2024-01-15 10:31:00Z');
    `);
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await container?.stop();
  });

  it("reports a table that does not exist as a result, listing the tables that do", async () => {
    const read = await readSinkTable(pool, { ...balances, table: "never_written" });
    expect(read).toEqual({
      state: "no-table",
      database: "sink",
      wanted: "public.never_written",
      existingTables: expect.arrayContaining(['public."PRODUCT_BALANCES"', "public.product_events"]),
    });
  });

  it("finds an upper-case quoted table through a lower-case spec and returns lower-case keys as pg text", async () => {
    const read = await readSinkTable(pool, balances, { where: { column: "PRODUCT_ID", startsWith: "s1a2_" } });
    expect(read.state).toBe("rows");
    if (read.state !== "rows") return;
    expect(read.table).toEqual({ database: "sink", schema: "public", name: "PRODUCT_BALANCES", displayName: 'public."PRODUCT_BALANCES"' });
    expect(read.rows).toEqual([
      {
        product_id: "s1a2_x",
        balance: "10.50",
        tx_count: "9007199254740993",
        updated_at: "2024-01-15T10:30:00.123",
        active: "t",
        note: null,
      },
    ]);
  });

  it("filters with 'in' through a parameter", async () => {
    const read = await readSinkTable(pool, balances, { where: { column: "product_id", in: ["other", "s1a2Xy", "nobody"] } });
    expect(read.state === "rows" ? read.rows.map((row) => row.product_id) : read.state).toEqual(["other", "s1a2Xy"]);
  });

  it("asserts a lower-case table with an upper-case spec, comparing doubles and timestamptz", async () => {
    const rows = await assertSinkTableEquals(
      pool,
      events,
      [
        { PRODUCT_ID: "a1", SEQ: 1, AMOUNT: 0.3, AT: new Date("2024-01-15T10:30:00Z") },
        { PRODUCT_ID: "a1", SEQ: 2, AMOUNT: 5, AT: "2024-01-15T10:31:00Z" },
      ],
      { timeoutMs: 5_000 },
    );
    expect(rows).toHaveLength(2);
  });

  it("reports columns the table lacks", async () => {
    const read = await readSinkTable(pool, { ...events, columns: { ...events.columns, CURRENCY: column.text } });
    expect(read).toMatchObject({ state: "missing-columns", missing: ["currency"], present: ["product_id", "seq", "amount", "at"] });
  });

  it("keeps polling until a table created late holds the rows inserted late", async () => {
    const late: TableSpec = { ...balances, table: "LATE_BALANCES" };
    const started = Date.now();
    const timers = [
      setTimeout(() => {
        void pool.query(`CREATE TABLE "LATE_BALANCES" (LIKE "PRODUCT_BALANCES");
          INSERT INTO "LATE_BALANCES" VALUES ('b1', 1, 1, '2024-01-15 10:00:00', true, NULL, NULL)`);
      }, 1_000),
      setTimeout(() => {
        void pool.query(`INSERT INTO "LATE_BALANCES" VALUES ('b2', 2.005, 2, '2024-01-15 11:00:00', false, 'late', NULL)`);
      }, 2_500),
    ];
    try {
      const rows = await assertSinkTableEquals(
        pool,
        late,
        [
          { product_id: "b1", balance: 1, tx_count: 1, updated_at: "2024-01-15T10:00:00Z", active: true, note: null },
          { product_id: "b2", balance: "2.01", tx_count: 2n, updated_at: Date.UTC(2024, 0, 15, 11), active: false, note: "late" },
        ],
        { timeoutMs: 20_000, pollIntervalMs: 200 },
      );
      expect(rows.map((row) => row.product_id)).toEqual(["b1", "b2"]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    } finally {
      timers.forEach(clearTimeout);
    }
  });

  it("fails a table that never converges with the diff of the last read, the diagnostics and where to look", async () => {
    const error = await assertSinkTableEquals(
      pool,
      balances,
      [
        {
          product_id: "s1a2_x",
          balance: "10.50",
          tx_count: "9007199254740993",
          updated_at: "2024-01-15T10:30:00.123Z",
          active: true,
          note: null,
        },
        {
          product_id: "s1a2Xy",
          balance: 100,
          tx_count: 1,
          updated_at: "2024-01-15T10:30:00Z",
          active: true,
          note: "not mine: _ is literal",
        },
        { product_id: "s1a2_z", balance: 3, tx_count: 3, updated_at: "2024-01-15T10:30:00Z", active: true, note: null },
      ],
      {
        where: { column: "product_id", startsWith: "s1a2" },
        timeoutMs: 1_500,
        pollIntervalMs: 200,
        diagnostics: async () => "connector sink-balances: RUNNING; task 0: RUNNING",
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^sink table public\."PRODUCT_BALANCES" in database "sink" does not hold the expected rows after \d+\.\d s and \d+ reads/,
    );
    expect(message).toContain('expected: exactly 3 rows where product_id starts with "s1a2"');
    expect(message).toContain('last read:\n    public."PRODUCT_BALANCES": expected 3 rows, actual 2 rows — 1 missing, 1 changed');
    expect(message).toContain('~ product_id="s1a2Xy"  balance: 100.00 → 1.00, active: true → false');
    expect(message).toContain('- product_id="s1a2_z"');
    expect(message).toContain("«100.00 → 1.00»");
    expect(message).toContain("diagnostics:\n    connector sink-balances: RUNNING; task 0: RUNNING");
    expect(message).toContain(`where to look: the sink connector's status`);
    expect(message).toContain(
      `FROM "public"."PRODUCT_BALANCES" WHERE "PRODUCT_ID"::text LIKE $1 ESCAPE '\\' ORDER BY "PRODUCT_ID"  -- $1 = 's1a2%'`,
    );
  });

  it("says plainly when the table never appeared", async () => {
    const error = await assertSinkTableEquals(pool, { ...balances, table: "never_there" }, [], {
      timeoutMs: 800,
      pollIntervalMs: 200,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    expect((error as Error).message).toMatch(
      /^table public\.never_there does not exist in database "sink": the sink connector never wrote to it \(after/,
    );
    expect((error as Error).message).toMatch(/looked up case-insensitively; tables that do exist: .*public\."PRODUCT_BALANCES"/);
    expect((error as Error).message).toContain(
      "query: SELECT table_schema, table_name FROM information_schema.tables WHERE lower(table_schema) = 'public' AND lower(table_name) = 'never_there'",
    );
  });

  it("gives up at once when two tables differ only in case", async () => {
    await pool.query(`CREATE TABLE "TWICE" (id int PRIMARY KEY); CREATE TABLE twice (id int PRIMARY KEY)`);
    const error = await assertSinkTableEquals(pool, { table: "twice", key: ["id"], columns: { id: column.integer } }, [], {
      timeoutMs: 30_000,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    expect((error as Error).message).toContain(
      'table public.twice is ambiguous in database "sink": public."TWICE" and public.twice differ only in case',
    );
    // Given up at the first read, not at the 30 s deadline.
    expect((error as Error).message).toMatch(/and 1 read/);
  });
});
