import { afterAll, describe, expect, inject, it } from "vitest";
import { postgresPool } from "ksql-pipeline-e2e/stack";

describe("smoke: PostgreSQL is ready for change data capture", () => {
  const stack = inject("stack");
  const source = postgresPool(stack, "source");
  afterAll(() => source.end());

  it("runs with wal_level=logical", async () => {
    const { rows } = await source.query<{ wal_level: string }>("SHOW wal_level");
    expect(rows[0]?.wal_level).toBe("logical");
  });

  it("accepts a logical replication slot with the pgoutput plugin", async () => {
    const slot = `smoke_slot_${process.pid}`;
    const created = await source.query<{ slot_name: string }>("SELECT slot_name FROM pg_create_logical_replication_slot($1, 'pgoutput')", [
      slot,
    ]);
    try {
      expect(created.rows[0]?.slot_name).toBe(slot);
      const listed = await source.query("SELECT plugin, slot_type FROM pg_replication_slots WHERE slot_name = $1", [slot]);
      expect(listed.rows).toEqual([{ plugin: "pgoutput", slot_type: "logical" }]);
    } finally {
      await source.query("SELECT pg_drop_replication_slot($1)", [slot]);
    }
  });

  it("has the sink database next to the source database", async () => {
    const sink = postgresPool(stack, "sink");
    try {
      const { rows } = await sink.query<{ db: string }>("SELECT current_database() AS db");
      expect(rows[0]?.db).toBe(stack.postgres.fromHost.sinkDatabase);
    } finally {
      await sink.end();
    }
  });
});
