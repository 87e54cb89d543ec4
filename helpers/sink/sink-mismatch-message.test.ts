import { describe, expect, it } from "vitest";
import { describeMismatch, type LastSinkObservation, type MismatchFacts } from "./sink-mismatch-message.js";
import type { ResolvedSinkTable } from "./sink-reader.js";
import { diffTables } from "./table-diff.js";
import { column, normaliseTableSpec } from "./table-spec.js";

const spec = normaliseTableSpec({
  table: "PRODUCT_BALANCES",
  key: ["product_id"],
  columns: { product_id: column.text, amount: column.integer },
});
const table: ResolvedSinkTable = { database: "sink", schema: "public", name: "PRODUCT_BALANCES", displayName: 'public."PRODUCT_BALANCES"' };

const facts = (last: LastSinkObservation | undefined, more: Partial<MismatchFacts> = {}): MismatchFacts => ({
  spec,
  wanted: "public.PRODUCT_BALANCES",
  expectation: "exactly 2 rows",
  expectedCount: 2,
  last,
  elapsedMs: 90_000,
  reads: 120,
  diagnostics: undefined,
  whereToLook: "the connector status",
  ...more,
});

describe("describeMismatch", () => {
  it("puts the diff of the last read, the diagnostics, the query and where to look into the message", () => {
    const expected = [
      { product_id: "a1", amount: 100 },
      { product_id: "a2", amount: 20 },
    ];
    const rows = [{ product_id: "a1", amount: "150" }];
    const message = describeMismatch(
      facts(
        {
          kind: "read",
          read: { state: "rows", table, rows, query: { text: 'SELECT … WHERE "PRODUCT_ID" = ANY($1)', values: [["a1", "o'k"]] } },
          diff: diffTables(spec, expected, rows),
        },
        { diagnostics: "connector sink: RUNNING\ntask 0: FAILED\n" },
      ),
    );
    expect(message.split("\n")).toEqual([
      'sink table public."PRODUCT_BALANCES" in database "sink" does not hold the expected rows after 90.0 s and 120 reads',
      "  expected: exactly 2 rows",
      "  last read:",
      '    public."PRODUCT_BALANCES": expected 2 rows, actual 1 row — 1 missing, 1 changed (key: product_id)',
      '    ~ product_id="a1"  amount: 100 → 150',
      '    - product_id="a2"  amount=20',
      "",
      "      product_id │ amount",
      '    ~ "a1"       │ «100 → 150»',
      '    - "a2"       │ 20',
      "  diagnostics:",
      "    connector sink: RUNNING",
      "    task 0: FAILED",
      `  query: SELECT … WHERE "PRODUCT_ID" = ANY($1)  -- $1 = ARRAY['a1', 'o''k']`,
      "  where to look: the connector status",
    ]);
  });

  it("says when the table does not exist", () => {
    const message = describeMismatch(
      facts({ kind: "read", read: { state: "no-table", database: "sink", wanted: "public.product_balances", existingTables: [] } }),
    );
    expect(message).toMatch(
      /^table public\.PRODUCT_BALANCES does not exist in database "sink": the sink connector never wrote to it \(after 90\.0 s/,
    );
    expect(message).toContain("tables that do exist: none");
  });

  it("names missing columns and the ones that are there", () => {
    const message = describeMismatch(
      facts({ kind: "read", read: { state: "missing-columns", table, missing: ["amount"], present: ["PRODUCT_ID"] } }),
    );
    expect(message).toContain('table public."PRODUCT_BALANCES" in database "sink" lacks column(s) amount');
    expect(message).toContain("its columns: PRODUCT_ID");
    expect(message).toContain("table_name = 'PRODUCT_BALANCES'");
  });

  it("reports a read that kept failing", () => {
    expect(describeMismatch(facts({ kind: "error", message: "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432" }))).toMatch(
      /^sink table public\.PRODUCT_BALANCES could not be read \(after 90\.0 s and 120 reads\): ECONNREFUSED/,
    );
  });
});
