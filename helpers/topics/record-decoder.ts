import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";

/** Turns the raw bytes of a key or value into a JS value for assertions. */
export interface RecordDecoder {
  decode(bytes: Buffer | null): Promise<unknown>;
}

const CONFLUENT_MAGIC_BYTE = 0;

/**
 * Confluent wire format (magic byte 0 + 4-byte schema id + Avro) through Schema Registry's REST
 * API; JSON otherwise. Works for both Confluent's and Apicurio's Avro converters.
 */
export class WireFormatDecoder implements RecordDecoder {
  private readonly registry: SchemaRegistry;

  constructor(registryUrlFromHost: string) {
    this.registry = new SchemaRegistry({ host: registryUrlFromHost });
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

/** JsonConverter with schemas.enable=true wraps each value as `{ schema, payload }`. */
function unwrapJsonWithSchema(value: unknown): unknown {
  if (value && typeof value === "object" && "schema" in value && "payload" in value) {
    return (value as { payload: unknown }).payload;
  }
  return value;
}
