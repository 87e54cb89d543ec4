import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import avro from "avsc";

/** Turns the raw bytes of a key or value into a JS value for assertions. */
export interface RecordDecoder {
  decode(bytes: Buffer | null): Promise<unknown>;
}

const CONFLUENT_MAGIC_BYTE = 0;

/**
 * Avro longs as numbers where that is exact, as bigint beyond 2^53 (Debezium's `ts_ns` is).
 * avsc's default long type throws on such values.
 */
const SAFE_LONG = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => {
    const value = buffer.readBigInt64LE();
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  },
  toBuffer: (value: number | bigint) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(BigInt(value));
    return buffer;
  },
  fromJSON: (value: number | string) => BigInt(value),
  toJSON: (value: number | bigint) => Number(value),
  isValid: (value: unknown) => typeof value === "bigint" || Number.isInteger(value),
  compare: (a: number | bigint, b: number | bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/**
 * Confluent wire format (magic byte 0 + 4-byte schema id + Avro) through Schema Registry's REST
 * API; JSON otherwise. Works for both Confluent's and Apicurio's Avro converters.
 */
export class WireFormatDecoder implements RecordDecoder {
  private readonly registry: SchemaRegistry;

  constructor(registryUrlFromHost: string) {
    this.registry = new SchemaRegistry({ host: registryUrlFromHost }, {
      // A type hook, not avsc's `registry` option: that object collects every named type it sees, so the
      // second schema with the same record name would fail with "duplicate type name".
      [SchemaType.AVRO]: { typeHook: (schema) => (isPlainLong(schema) ? SAFE_LONG : undefined) },
    });
  }

  async decode(bytes: Buffer | null): Promise<unknown> {
    if (bytes === null) return null;
    if (bytes.length > 5 && bytes[0] === CONFLUENT_MAGIC_BYTE) return this.registry.decode(bytes);
    const text = bytes.toString("utf8");
    try {
      const parsed: unknown = JSON.parse(text);
      return unwrapJsonWithSchema(parsed);
    } catch {
      return text;
    }
  }
}

function isPlainLong(schema: avro.Schema): boolean {
  return schema === "long" || (typeof schema === "object" && schema !== null && (schema as { type?: unknown }).type === "long");
}

/** JsonConverter with schemas.enable=true wraps each value as `{ schema, payload }`. */
function unwrapJsonWithSchema(value: unknown): unknown {
  if (value && typeof value === "object" && "schema" in value && "payload" in value) {
    return (value as { payload: unknown }).payload;
  }
  return value;
}
