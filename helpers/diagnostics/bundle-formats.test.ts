import { describe, expect, it } from "vitest";
import { demultiplex } from "./container-logs.js";
import { describeFailure, slug } from "./failure-bundle.js";
import { csvField } from "./sink-dump.js";

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("container log demultiplexing", () => {
  it("joins the payloads of stdout and stderr frames in order", () => {
    expect(demultiplex(Buffer.concat([frame(1, "started\n"), frame(2, "warning\n"), frame(1, "ready\n")]))).toBe("started\nwarning\nready\n");
  });

  it("passes a TTY log (no frames) through", () => {
    expect(demultiplex(Buffer.from("plain line\n"))).toBe("plain line\n");
  });
});

describe("sink CSV fields", () => {
  it("quotes commas, quotes and line breaks, leaves NULL empty", () => {
    expect([csvField("alice"), csvField("a,b"), csvField('say "hi"'), csvField("two\nlines"), csvField(null)])
      .toEqual(["alice", '"a,b"', '"say ""hi"""', '"two\nlines"', ""]);
  });

  it("writes dates as ISO text and objects as JSON", () => {
    expect(csvField(new Date("2026-03-02T09:00:00Z"))).toBe("2026-03-02T09:00:00.000Z");
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });
});

describe("failure text", () => {
  it("keeps the message (the sink diff) and the stack frames without repeating the message", () => {
    const error = new Error("sink table s1_account does not hold the expected rows\n  account_balance: 75 → 50");
    const text = describeFailure(error);
    expect(text.startsWith("Error: sink table s1_account")).toBe(true);
    expect(text).toContain("--- stack ---\n    at ");
    expect(text.match(/account_balance: 75 → 50/g)).toHaveLength(1);
  });

  it("adds vitest's expected-vs-actual diff of a serialised assertion error", () => {
    expect(describeFailure({ name: "AssertionError", message: "expected 1 to be 2", diff: "- 2\n+ 1" }))
      .toContain("--- expected vs actual ---\n- 2\n+ 1");
  });

  it("names a bundle folder after the test", () => {
    expect(slug("CDC to sink > a wrong expectation fails with a diff")).toBe("cdc-to-sink-a-wrong-expectation-fails-with-a-diff");
  });
});
