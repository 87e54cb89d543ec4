import { describe, expect, it } from "vitest";
import { demultiplex } from "./container-logs.js";
import { describeFailure, slug } from "./failure-bundle.js";
import { recordsAsJson } from "./record-json.js";
import { dumpAsAligned, dumpAsCsv, type SinkTableDump } from "./sink-dump.js";

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("container log demultiplexing", () => {
  it("joins the payloads of stdout and stderr frames in order", () => {
    expect(demultiplex(Buffer.concat([frame(1, "started\n"), frame(2, "warning\n"), frame(1, "ready\n")]))).toBe(
      "started\nwarning\nready\n",
    );
  });

  it("passes a TTY log (no frames) through", () => {
    expect(demultiplex(Buffer.from("plain line\n"))).toBe("plain line\n");
  });
});

// As PostgreSQL prints the values (the dump casts every column to text in the database).
const dump: SinkTableDump = {
  schema: "public",
  table: "s1_orders",
  totalRows: 3,
  columns: [
    { name: "id", type: "integer" },
    { name: "note", type: "text" },
    { name: "at", type: "timestamp with time zone" },
    { name: "tags", type: "text[]" },
    { name: "doc", type: "jsonb" },
  ],
  rows: [
    ["1", "a,b", "2026-03-02 09:00:00.123456+00", '{red,"dark blue"}', '{"a": 1, "b": [true, null]}'],
    ["2", "", null, "{}", "null"],
    ["3", 'say "hi"\nthere', "infinity", null, null],
  ],
};

describe("sink table dumps show the database's own text", () => {
  it('as CSV: quotes commas, quotes and line breaks; NULL is empty, an empty string is ""', () => {
    expect(dumpAsCsv(dump)).toBe(
      [
        "id,note,at,tags,doc",
        '1,"a,b",2026-03-02 09:00:00.123456+00,"{red,""dark blue""}","{""a"": 1, ""b"": [true, null]}"',
        '2,"",,{},null',
        '3,"say ""hi""\nthere",infinity,,',
        "",
      ].join("\n"),
    );
  });

  it("aligned like psql, with the column types and the row count", () => {
    const text = dumpAsAligned({ ...dump, rows: dump.rows.slice(0, 2), totalRows: 3 });
    expect(text.split("\n")[0]).toBe("public.s1_orders: id integer, note text, at timestamp with time zone, tags text[], doc jsonb");
    expect(text).toContain(" 2026-03-02 09:00:00.123456+00 ");
    expect(text.endsWith("(3 rows, first 2 shown)")).toBe(true);
  });
});

describe("topic dumps", () => {
  it("write bigints as text, bytes as hex and Dates as ISO-8601", () => {
    expect(
      JSON.parse(recordsAsJson({ n: 2n ** 60n, b: Buffer.from([1, 255]), at: new Date("2026-03-02T09:00:00.5Z"), price: "-5.00" })),
    ).toEqual({ n: "1152921504606846976", b: { hex: "01ff" }, at: "2026-03-02T09:00:00.500Z", price: "-5.00" });
  });
});

describe("failure text", () => {
  it("keeps the message (the sink diff) and the stack frames without repeating the message", () => {
    const error = new Error("sink table s1_product does not hold the expected rows\n  product_balance: 75 → 50");
    const text = describeFailure(error);
    expect(text.startsWith("Error: sink table s1_product")).toBe(true);
    expect(text).toContain("--- stack ---\n    at ");
    expect(text.match(/product_balance: 75 → 50/g)).toHaveLength(1);
  });

  it("adds vitest's expected-vs-actual diff of a serialised assertion error", () => {
    expect(describeFailure({ name: "AssertionError", message: "expected 1 to be 2", diff: "- 2\n+ 1" })).toContain(
      "--- expected vs actual ---\n- 2\n+ 1",
    );
  });

  it("names a bundle folder after the test", () => {
    expect(slug("CDC to sink > a wrong expectation fails with a diff")).toBe("cdc-to-sink-a-wrong-expectation-fails-with-a-diff");
  });
});
