import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BANK_ANALYTICS_SQL_URL, renderKsqlTemplate } from "../../fixtures/ksql/bank-analytics.js";
import { JOIN_GRACE_MS, JOIN_WITHIN_MS, VOLUME_WINDOW_GRACE_MS, VOLUME_WINDOW_SIZE_MS } from "./constants.js";
import { COUNT_TYPE_BY_ACCOUNT, SUCCESS_RATIO_BY_ACCOUNT, TRANSACTION_VOLUME_PER_MINUTE } from "./sink-tables.js";

const template = readFileSync(BANK_ANALYTICS_SQL_URL, "utf8");
// The fixture has no "--" inside string literals, so cutting every line at "--" removes exactly the comments.
const code = template
  .split("\n")
  .map((line) => line.replace(/--.*$/, ""))
  .join("\n");
const statements = code
  .split(";")
  .map((s) => s.trim())
  .filter((s) => s !== "");

const UNIT_MS: Readonly<Record<string, number>> = { MILLISECOND: 1, SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
function durationMs(amount: string, unit: string): number {
  const perUnit = UNIT_MS[unit.toUpperCase().replace(/S$/, "")];
  if (perUnit === undefined) throw new Error(`unknown ksqlDB time unit ${unit}`);
  return Number(amount) * perUnit;
}

describe("fixtures/ksql/bank-analytics.sql agrees with the model", () => {
  it("has one join window whose WITHIN and GRACE PERIOD equal the model's constants", () => {
    expect(code.match(/\bWITHIN\b/gi)).toHaveLength(1);
    const [match] = [...code.matchAll(/\bWITHIN\s+(\d+)\s+(\w+)\s+GRACE\s+PERIOD\s+(\d+)\s+(\w+)/gi)];
    expect(match).toBeDefined();
    const [, within = "", withinUnit = "", grace = "", graceUnit = ""] = match ?? [];
    expect(durationMs(within, withinUnit)).toBe(JOIN_WITHIN_MS);
    expect(durationMs(grace, graceUnit)).toBe(JOIN_GRACE_MS);
  });

  it("has one tumbling window whose SIZE and GRACE PERIOD equal the model's constants", () => {
    expect(code.match(/\bWINDOW\b/gi)).toHaveLength(1);
    const [match] = [...code.matchAll(/\bWINDOW\s+TUMBLING\s*\(\s*SIZE\s+(\d+)\s+(\w+)\s*,\s*GRACE\s+PERIOD\s+(\d+)\s+(\w+)\s*\)/gi)];
    expect(match).toBeDefined();
    const [, size = "", sizeUnit = "", grace = "", graceUnit = ""] = match ?? [];
    expect(durationMs(size, sizeUnit)).toBe(VOLUME_WINDOW_SIZE_MS);
    expect(durationMs(grace, graceUnit)).toBe(VOLUME_WINDOW_GRACE_MS);
  });

  it.each([COUNT_TYPE_BY_ACCOUNT, SUCCESS_RATIO_BY_ACCOUNT, TRANSACTION_VOLUME_PER_MINUTE])(
    "projects exactly the sink columns of $baseName, on its own topic",
    (spec) => {
      const ctas = statements.filter((s) => new RegExp(`^CREATE\\s+TABLE\\s+${spec.baseName}_\\$\\{SUFFIX\\}\\s`, "i").test(s));
      expect(ctas).toHaveLength(1);
      const aliases = [...(ctas[0] ?? "").matchAll(/\bAS\s+`([^`]+)`/gi)].map((m) => m[1]);
      expect(aliases).toEqual(spec.columns);
      expect(ctas[0]).toContain(`KAFKA_TOPIC = '${spec.baseName}_\${SUFFIX}'`);
    },
  );

  it("suffixes every object it creates and names derived topics after them", () => {
    const created = statements.filter((s) => /^CREATE\s/i.test(s));
    expect(created).toHaveLength(9);
    for (const statement of created) {
      const name = /^CREATE\s+(?:STREAM|TABLE)\s+(\w+_\$\{SUFFIX\})\s/i.exec(statement)?.[1];
      expect(name, statement).toBeDefined();
      if (/\bAS\s+SELECT\b/i.test(statement)) expect(statement).toContain(`KAFKA_TOPIC = '${name}'`);
    }
  });

  it("renders with the three variables and nothing else", () => {
    const sql = renderKsqlTemplate(template, { SUFFIX: "s1", TOPIC_PREFIX: "integrate", SOURCE_SCHEMA: "public" });
    expect(sql).not.toContain("${");
    expect(sql).toContain("KAFKA_TOPIC = 'integrate.public.bank_transaction'");
    expect(sql).toContain("CREATE TABLE success_ratio_by_account_s1");
  });

  it("refuses a suffix that would make object and topic names disagree, and unknown variables", () => {
    const variables = { SUFFIX: "S1", TOPIC_PREFIX: "integrate", SOURCE_SCHEMA: "public" };
    expect(() => renderKsqlTemplate(template, variables)).toThrow(/SUFFIX/);
    expect(() => renderKsqlTemplate("CREATE STREAM ${OTHER};", { ...variables, SUFFIX: "s1" })).toThrow("no value for placeholder(s) ${OTHER}");
  });
});
