import { describe, expect, it } from "vitest";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import { DEFAULT_GRACE_MS, streamTimeHorizonMs, timeBoundsOf, unhonouredWindows } from "./stream-time.js";

const MINUTE = 60_000;

describe("stream time a flush must reach", () => {
  it("reads tumbling, hopping and session windows and join windows, with and without grace", () => {
    const sql = `
      CREATE TABLE a AS SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 30 SECONDS) GROUP BY k;
      CREATE TABLE b AS SELECT k, COUNT(*) FROM s WINDOW HOPPING (SIZE 10 MINUTES, ADVANCE BY 1 MINUTE) GROUP BY k;
      CREATE TABLE c AS SELECT k, COUNT(*) FROM s WINDOW SESSION (5 MINUTES, GRACE PERIOD 0 SECONDS) GROUP BY k;
      CREATE STREAM d AS SELECT * FROM l LEFT JOIN r WITHIN 10 MINUTES GRACE PERIOD 1 MINUTE ON l.id = r.id;
      CREATE STREAM e AS SELECT * FROM l JOIN r WITHIN (1 HOUR, 2 HOURS) GRACE PERIOD 10 SECONDS ON l.id = r.id;`;
    const bounds = timeBoundsOf(splitStatements(sql, "x.sql")).map(({ kind, spanMs, graceMs }) => ({ kind, spanMs, graceMs }));
    expect(bounds).toEqual([
      { kind: "TUMBLING", spanMs: MINUTE, graceMs: 30_000 },
      { kind: "HOPPING", spanMs: 10 * MINUTE, graceMs: DEFAULT_GRACE_MS },
      { kind: "SESSION", spanMs: 5 * MINUTE, graceMs: 0 },
      { kind: "WITHIN", spanMs: 10 * MINUTE, graceMs: MINUTE },
      { kind: "WITHIN", spanMs: 120 * MINUTE, graceMs: 10_000 },
    ]);
  });

  it("is the largest span + grace, plus a second; nothing without windows or joins", () => {
    const sql =
      "CREATE TABLE a AS SELECT k FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 30 SECONDS) GROUP BY k;" +
      "CREATE STREAM d AS SELECT * FROM l LEFT JOIN r WITHIN 10 MINUTES GRACE PERIOD 1 MINUTE ON l.id = r.id;";
    expect(streamTimeHorizonMs(timeBoundsOf(splitStatements(sql, "x.sql")))).toBe(11 * MINUTE + 1_000);
    expect(streamTimeHorizonMs(timeBoundsOf(splitStatements("CREATE TABLE t AS SELECT k, COUNT(*) FROM s GROUP BY k;", "x.sql")))).toBe(0);
  });

  it("ignores the words in comments and string literals", () => {
    const sql = "-- WINDOW TUMBLING (SIZE 9 DAYS)\nCREATE STREAM x AS SELECT 'WITHIN 3 HOURS' AS note FROM s;";
    expect(timeBoundsOf(splitStatements(sql, "x.sql"))).toEqual([]);
  });

  it("names every EMIT FINAL window whose retention ends when it closes, with its file and line", () => {
    const sql =
      "CREATE TABLE a AS SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;\n" +
      "CREATE TABLE b AS SELECT k, COUNT(*) FROM s WINDOW SESSION (5 MINUTES, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT CHANGES;\n" +
      "CREATE TABLE c AS SELECT k, COUNT(*) FROM s WINDOW HOPPING (SIZE 2 MINUTES, ADVANCE BY 1 MINUTE, RETENTION 1 DAY, GRACE PERIOD 0 SECONDS) GROUP BY k EMIT FINAL;\n\n" +
      "CREATE TABLE d AS SELECT k, COUNT(*)\n  FROM s WINDOW SESSION (5 MINUTES, RETENTION 5 MINUTES, GRACE PERIOD 0 SECONDS)\n  GROUP BY k EMIT FINAL;";
    const bounds = timeBoundsOf(splitStatements(sql, "fixtures/x/x.sql"));
    expect(bounds.map((b) => b.retentionMs)).toEqual([undefined, undefined, 86_400_000, 5 * MINUTE]);
    expect(bounds.map((b) => b.spanMs)).toEqual([MINUTE, 5 * MINUTE, 2 * MINUTE, 5 * MINUTE]);
    const warnings = unhonouredWindows(bounds);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^fixtures\/x\/x\.sql:1: EMIT FINAL on a TUMBLING window whose retention \(none given: its span \+ grace\) ends as soon/,
    );
    expect(warnings[1]).toMatch(/^fixtures\/x\/x\.sql:5: EMIT FINAL on a SESSION window whose retention \(5 MINUTES\)/);
    expect(warnings[1]).toContain("RETENTION 1 DAY");
  });
});
