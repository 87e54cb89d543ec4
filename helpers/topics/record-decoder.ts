import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import type { BasicAuth } from "../../containers/stack-endpoints.js";
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
 * Avro `decimal` (Connect's Decimal: big-endian two's complement unscaled bytes) as its exact decimal
 * text, "1234.50" for scale 2, rather than a Buffer.
 */
class DecimalType extends avro.types.LogicalType {
  private readonly scale: number;

  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    this.scale = Number((schema as { scale?: unknown }).scale ?? 0);
  }

  protected override _fromValue(bytes: Buffer): string {
    return decimalText(bytes, this.scale);
  }

  protected override _toValue(text: string): Buffer {
    const [whole = "0", fraction = ""] = text.replace(/^-/, "").split(".");
    let unscaled = BigInt(whole + fraction.padEnd(this.scale, "0").slice(0, this.scale));
    if (text.startsWith("-")) unscaled = -unscaled;
    const hex = (unscaled < 0n ? (1n << BigInt(8 * byteLength(unscaled))) + unscaled : unscaled).toString(16);
    return Buffer.from(hex.padStart(2 * byteLength(unscaled), "0"), "hex");
  }

  protected override _resolve(): undefined {
    return undefined;
  }
}

/** Avro `timestamp-millis` (Connect's Timestamp) as a Date. */
class TimestampMillisType extends avro.types.LogicalType {
  protected override _fromValue(millis: number): Date {
    return new Date(millis);
  }

  protected override _toValue(date: Date | number): number {
    return date instanceof Date ? date.getTime() : date;
  }

  protected override _resolve(): undefined {
    return undefined;
  }
}

/** Avro `date` (Connect's Date: days since the epoch) as `YYYY-MM-DD`. */
class DateType extends avro.types.LogicalType {
  protected override _fromValue(days: number): string {
    return new Date(days * 86_400_000).toISOString().slice(0, 10);
  }

  protected override _toValue(date: string): number {
    return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  }

  protected override _resolve(): undefined {
    return undefined;
  }
}

/** Avro `time-millis` (Connect's Time: milliseconds of the day) as `HH:MM:SS.sss`. */
class TimeMillisType extends avro.types.LogicalType {
  protected override _fromValue(millis: number): string {
    return new Date(millis).toISOString().slice(11, 23);
  }

  protected override _toValue(time: string): number {
    return Date.parse(`1970-01-01T${time}Z`);
  }

  protected override _resolve(): undefined {
    return undefined;
  }
}

const LOGICAL_TYPES = { decimal: DecimalType, "timestamp-millis": TimestampMillisType, date: DateType, "time-millis": TimeMillisType };

/** The exact decimal text of a big-endian two's complement unscaled value. */
export function decimalText(bytes: Buffer, scale: number): string {
  let unscaled = bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString("hex")}`);
  if (bytes.length > 0 && (bytes[0] as number) >= 0x80) unscaled -= 1n << BigInt(8 * bytes.length);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function byteLength(value: bigint): number {
  let length = 1;
  while (value >= 1n << BigInt(8 * length - 1) || value < -(1n << BigInt(8 * length - 1))) length++;
  return length;
}

/**
 * Confluent wire format (magic byte 0 + 4-byte schema id + Avro) through Schema Registry's REST
 * API, decimals as exact text, timestamps as Dates, dates and times of day as ISO text; JSON otherwise.
 */
export class WireFormatDecoder implements RecordDecoder {
  private readonly registry: SchemaRegistry;

  constructor(registryUrlFromHost: string, auth?: BasicAuth) {
    this.registry = new SchemaRegistry(
      { host: registryUrlFromHost, ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}) },
      {
        // A type hook, not avsc's `registry` option: that object collects every named type it sees, so the
        // second schema with the same record name would fail with "duplicate type name".
        [SchemaType.AVRO]: {
          logicalTypes: LOGICAL_TYPES,
          typeHook: (schema) => (isPlainLong(schema) && !hasLogicalType(schema) ? SAFE_LONG : undefined),
        },
      },
    );
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

function hasLogicalType(schema: avro.Schema): boolean {
  const logicalType = typeof schema === "object" && schema !== null ? (schema as { logicalType?: unknown }).logicalType : undefined;
  return typeof logicalType === "string" && logicalType in LOGICAL_TYPES;
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
