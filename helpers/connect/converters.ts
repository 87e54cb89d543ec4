import type { KafkaConnectClient } from "./connect-client.js";

/**
 * How connectors serialise keys and values. The seed uses Confluent's AvroConverter with Schema
 * Registry; where a worker lacks it (registry-less machines), Apicurio's Avro converter writes the
 * same Confluent wire format (magic byte + 4-byte schema id) through a Confluent-compatible
 * registry; JSON with schemas is the last resort.
 */
export interface ConverterProfile {
  readonly name: "confluent-avro" | "apicurio-avro" | "json";
  /** Connector-level settings (`key.converter`, `value.converter`, …). */
  readonly settings: Readonly<Record<string, string>>;
  /** True when topics carry Confluent-wire-format Avro readable through the registry's REST API. */
  readonly avro: boolean;
}

const CONFLUENT_AVRO = "io.confluent.connect.avro.AvroConverter";
const APICURIO_AVRO = "io.apicurio.registry.utils.converter.AvroConverter";
const JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

export function confluentAvroProfile(registryUrlInNetwork: string): ConverterProfile {
  const settings: Record<string, string> = {};
  for (const side of ["key", "value"]) {
    settings[`${side}.converter`] = CONFLUENT_AVRO;
    settings[`${side}.converter.schema.registry.url`] = registryUrlInNetwork;
  }
  return { name: "confluent-avro", settings, avro: true };
}

export function apicurioAvroProfile(registryUrlInNetwork: string): ConverterProfile {
  const settings: Record<string, string> = {};
  for (const side of ["key", "value"]) {
    settings[`${side}.converter`] = APICURIO_AVRO;
    // The 2.x converter appends its own API path to the bare registry URL.
    settings[`${side}.converter.apicurio.registry.url`] = registryUrlInNetwork;
    settings[`${side}.converter.apicurio.registry.auto-register`] = "true";
    // Confluent framing: magic byte 0 + the 4-byte id that GET /schemas/ids/{id} serves, in the payload.
    settings[`${side}.converter.apicurio.registry.as-confluent`] = "true";
    settings[`${side}.converter.apicurio.registry.use-id`] = "contentId";
    settings[`${side}.converter.apicurio.registry.headers.enabled`] = "false";
  }
  return { name: "apicurio-avro", settings, avro: true };
}

export function jsonProfile(): ConverterProfile {
  const settings: Record<string, string> = {};
  for (const side of ["key", "value"]) {
    settings[`${side}.converter`] = JSON_CONVERTER;
    // The Debezium JDBC sink maps columns from the schemas; keep them.
    settings[`${side}.converter.schemas.enable`] = "true";
  }
  return { name: "json", settings, avro: false };
}

/** Picks the best converter the worker has: Confluent Avro, then Apicurio Avro, then JSON. */
export async function detectConverterProfile(connect: KafkaConnectClient, registryUrlInNetwork: string): Promise<ConverterProfile> {
  const classes = new Set((await connect.listPlugins(false)).map((p) => p.class));
  if (classes.has(CONFLUENT_AVRO)) return confluentAvroProfile(registryUrlInNetwork);
  if (classes.has(APICURIO_AVRO)) return apicurioAvroProfile(registryUrlInNetwork);
  return jsonProfile();
}
