import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import avro from "avsc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalText, WireFormatDecoder } from "./record-decoder.js";

// Two versions of one record name, as a registry holds them after a schema change.
const v1 = { type: "record", name: "Envelope", namespace: "s1.s1.product", fields: [{ name: "ts_ns", type: "long" }] };
const v2 = { ...v1, fields: [...v1.fields, { name: "op", type: "string" }] };
// Connect's Decimal and Timestamp, as Confluent's AvroConverter writes them.
const money = {
  type: "record",
  name: "Value",
  namespace: "s1.s1.orders",
  fields: [
    {
      name: "price",
      type: { type: "bytes", scale: 2, precision: 10, "connect.name": "org.apache.kafka.connect.data.Decimal", logicalType: "decimal" },
    },
    { name: "at", type: { type: "long", "connect.name": "org.apache.kafka.connect.data.Timestamp", logicalType: "timestamp-millis" } },
    { name: "day", type: { type: "int", "connect.name": "org.apache.kafka.connect.data.Date", logicalType: "date" } },
    { name: "clock", type: { type: "int", "connect.name": "org.apache.kafka.connect.data.Time", logicalType: "time-millis" } },
  ],
};

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
      const schema = id === "1" ? v1 : id === "2" ? v2 : id === "3" ? money : undefined;
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
      avro.Type.forSchema(schema as avro.Schema, {
        typeHook: (s) =>
          s === "long"
            ? avro.types.LongType.__with({
                fromBuffer: (b: Buffer) => b.readBigInt64LE(),
                toBuffer: (n: bigint) => {
                  const b = Buffer.alloc(8);
                  b.writeBigInt64LE(n);
                  return b;
                },
                fromJSON: BigInt,
                toJSON: Number,
                isValid: (n: unknown) => typeof n === "bigint",
                compare: () => 0,
              })
            : undefined,
      }).toBuffer(value);
    const decoder = new WireFormatDecoder(url);
    expect(await decoder.decode(confluentFrame(1, encode(v1, { ts_ns: big })))).toEqual({ ts_ns: big });
    expect(await decoder.decode(confluentFrame(2, encode(v2, { ts_ns: 42n, op: "c" })))).toEqual({ ts_ns: 42, op: "c" });
  });

  it("decodes decimals as their exact text, timestamps as Dates, dates and times of day as text", async () => {
    const plain = avro.Type.forSchema({
      ...money,
      fields: [
        { name: "price", type: "bytes" },
        { name: "at", type: "long" },
        { name: "day", type: "int" },
        { name: "clock", type: "int" },
      ],
    } as avro.Schema);
    // -500 unscaled; day 20514 is 2026-03-02; 34200123 ms is 09:30:00.123
    const bytes = plain.toBuffer({ price: Buffer.from([0xfe, 0x0c]), at: 1_772_442_060_123, day: 20514, clock: 34_200_123 });
    expect(await new WireFormatDecoder(url).decode(confluentFrame(3, bytes))).toEqual({
      price: "-5.00",
      at: new Date(1_772_442_060_123),
      day: "2026-03-02",
      clock: "09:30:00.123",
    });
  });

  it("reads two's complement unscaled decimals of any length", () => {
    expect(decimalText(Buffer.from([0x30, 0x39]), 2)).toBe("123.45");
    expect(decimalText(Buffer.from([0xff]), 0)).toBe("-1");
    expect(decimalText(Buffer.from([0x00, 0x80]), 3)).toBe("0.128");
    expect(decimalText(Buffer.from([0x05]), 4)).toBe("0.0005");
    expect(decimalText(Buffer.alloc(0), 2)).toBe("0.00");
  });

  it("reads JSON with schemas as its payload, and a tombstone as null", async () => {
    const decoder = new WireFormatDecoder(url);
    expect(await decoder.decode(Buffer.from(JSON.stringify({ schema: { type: "string" }, payload: "alice" })))).toBe("alice");
    expect(await decoder.decode(null)).toBeNull();
  });
});
