import { describe, expect, it } from "vitest";
import { column } from "../sink/column-kinds.js";
import type { SinkColumn } from "../sink/sink-schema.js";
import { inferColumnKind } from "./infer-columns.js";
import { renderRecordedModule, renderValue } from "./render-recorded.js";

const sinkColumn = (typname: string, type: string, nullable = false): SinkColumn => ({ name: "c", type, typname, nullable, category: "" });

describe("the column kind a recording gives a sink column", () => {
  it("follows the PostgreSQL type, with the scale a numeric declares or its values have", () => {
    expect(inferColumnKind(sinkColumn("int8", "bigint"), ["1"])).toBe("integer");
    expect(inferColumnKind(sinkColumn("numeric", "numeric(10,2)"), ["1.5"])).toEqual(column.decimal(2));
    expect(inferColumnKind(sinkColumn("numeric", "numeric"), ["1.5", "2.125", "3"])).toEqual(column.decimal(3));
    expect(inferColumnKind(sinkColumn("timestamp", "timestamp without time zone"), [])).toEqual(column.timestamp("utc"));
    expect(inferColumnKind(sinkColumn("_text", "text[]"), [["a"]])).toEqual(column.array(column.text));
    expect(inferColumnKind(sinkColumn("jsonb", "jsonb"), [{}])).toBe("json");
    expect(inferColumnKind(sinkColumn("circle", "circle"), [])).toBe("text");
  });

  it("is nullable only where the column allows NULL and the run wrote one", () => {
    expect(inferColumnKind(sinkColumn("text", "text", true), ["a", null])).toEqual(column.nullable(column.text));
    expect(inferColumnKind(sinkColumn("text", "text", true), ["a"])).toBe("text");
  });
});

describe("recorded values, as a person writes them", () => {
  it("writes whole numbers as numbers, window bounds as dates, decimals and big numbers as text", () => {
    expect(renderValue("orders", "integer", "2")).toBe("2");
    expect(renderValue("window_start", "integer", "1772445600000")).toBe('Date.parse("2026-03-02T10:00:00.000Z")');
    expect(renderValue("account_id", "integer", "1772445600000")).toBe("1772445600000");
    expect(renderValue("big", "integer", "9007199254740993")).toBe('"9007199254740993"');
    expect(renderValue("revenue", column.decimal(2), "15.5")).toBe('"15.50"');
    expect(renderValue("ok", "boolean", "t")).toBe("true");
    expect(renderValue("at", column.timestamp("utc"), "2026-03-02 10:01:00.123456")).toBe('"2026-03-02T10:01:00.123456Z"');
    expect(renderValue("profile", "json", { b: 1, a: [true] })).toBe('{"b":1,"a":[true]}');
    expect(renderValue("tags", column.array(column.text), ["a", null])).toBe('["a", null]');
    expect(renderValue("x", "text", null)).toBe("null");
  });

  it("writes a module with the rows sorted by key and names quoted where they need it", () => {
    const text = renderRecordedModule(
      new Map([
        [
          "revenue",
          {
            columns: { store: column.text, "Window Start": column.integer },
            key: ["store"],
            rows: [
              { store: "seoul", "Window Start": "1" },
              { store: "busan", "Window Start": "2" },
            ],
          },
        ],
      ]),
      { importFrom: "ksql-pipeline-e2e", header: ["Recorded."] },
    );
    expect(text).toBe(
      [
        "// Recorded.",
        'import { column, recordedTables } from "ksql-pipeline-e2e";',
        "",
        "export default recordedTables(import.meta.url, {",
        "  revenue: {",
        '    columns: { store: column.text, "Window Start": column.integer },',
        "    rows: [",
        '      { store: "busan", "Window Start": 2 },',
        '      { store: "seoul", "Window Start": 1 },',
        "    ],",
        "  },",
        "});",
        "",
      ].join("\n"),
    );
  });
});
