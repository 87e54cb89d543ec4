import type { TopicRecord } from "../topics/topic-reader.js";

/** JSON for decoded records: bigint as text, bytes as {"hex": …}, Dates as ISO-8601 (JSON's own). */
export function recordsAsJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v && typeof v === "object" && (v as { type?: unknown }).type === "Buffer" && Array.isArray((v as { data?: unknown }).data)) {
        return { hex: Buffer.from((v as { data: number[] }).data).toString("hex") };
      }
      return v;
    },
    2,
  );
}

/** The last records of a topic for a terminal: one JSON block per record. */
export function formatRecords(topic: string, records: readonly TopicRecord[], total: number): string {
  const head = `${topic}: ${total} record(s)${records.length < total ? `, the last ${records.length}` : ""}`;
  return [
    head,
    ...records.map(
      (r) =>
        `--- partition ${r.partition} offset ${r.offset} at ${new Date(r.timestamp).toISOString()}\n` +
        `key:   ${recordsAsJson(r.key)}\nvalue: ${recordsAsJson(r.value)}`,
    ),
  ].join("\n");
}
