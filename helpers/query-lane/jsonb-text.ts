/**
 * A JSON value as PostgreSQL prints a jsonb: object keys shorter first, then in byte order (jsonb's storage order),
 * duplicate keys keeping the last, `": "` and `", "` between items. Debezium sends jsonb as that text.
 */
export function canonicalJsonb(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJsonb).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a.length !== b.length ? a.length - b.length : Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${canonicalJsonb(item)}`).join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
