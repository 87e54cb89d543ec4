import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import avro from "avsc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WireFormatDecoder } from "./record-decoder.js";

// Two versions of one record name, as a registry holds them after a schema change.
const v1 = { type: "record", name: "Envelope", namespace: "s1.s1.account", fields: [{ name: "ts_ns", type: "long" }] };
const v2 = { ...v1, fields: [...v1.fields, { name: "op", type: "string" }] };

function confluentFrame(id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt32BE(id, 1);
  return Buffer.concat([header, payload]);
}

describe("WireFormatDecoder", () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const id = /\/schemas\/ids\/(\d+)/.exec(request.url ?? "")?.[1];
      const schema = id === "1" ? v1 : id === "2" ? v2 : undefined;
      response.writeHead(schema ? 200 : 404, { "Content-Type": "application/vnd.schemaregistry.v1+json" });
      response.end(JSON.stringify(schema ? { schema: JSON.stringify(schema) } : { error_code: 40403, message: "Schema not found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("decodes Confluent-framed Avro with longs beyond 2^53 (Debezium's ts_ns) and two schemas of one name", async () => {
    const big = 1_772_442_060_123_456_789n;
    const encode = (schema: object, value: object) =>
      avro.Type.forSchema(schema as avro.Schema, { typeHook: (s) => (s === "long" ? avro.types.LongType.__with({
        fromBuffer: (b: Buffer) => b.readBigInt64LE(), toBuffer: (n: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(n); return b; },
        fromJSON: BigInt, toJSON: Number, isValid: (n: unknown) => typeof n === "bigint", compare: () => 0,
      }) : undefined) }).toBuffer(value);
    const decoder = new WireFormatDecoder(url);
    expect(await decoder.decode(confluentFrame(1, encode(v1, { ts_ns: big })))).toEqual({ ts_ns: big });
    expect(await decoder.decode(confluentFrame(2, encode(v2, { ts_ns: 42n, op: "c" })))).toEqual({ ts_ns: 42, op: "c" });
  });

  it("reads JSON with schemas as its payload, and a tombstone as null", async () => {
    const decoder = new WireFormatDecoder(url);
    expect(await decoder.decode(Buffer.from(JSON.stringify({ schema: { type: "string" }, payload: "alice" })))).toBe("alice");
    expect(await decoder.decode(null)).toBeNull();
  });
});
