/**
 * Converter settings of the seed's connectors: Confluent's AvroConverter with Schema Registry, for keys
 * and values, as in shared/seed (the worker's own default converters are JSON).
 */
export const CONFLUENT_AVRO_CONVERTER = "io.confluent.connect.avro.AvroConverter";
const BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

export type ConverterSettings = Readonly<Record<string, string>>;

/** Avro keys and values through the registry at `registryUrlInNetwork` (the address Connect uses). */
export function avroConverters(registryUrlInNetwork: string): ConverterSettings {
  const settings: Record<string, string> = {};
  for (const side of ["key", "value"]) {
    settings[`${side}.converter`] = CONFLUENT_AVRO_CONVERTER;
    settings[`${side}.converter.schema.registry.url`] = registryUrlInNetwork;
  }
  return settings;
}

/**
 * Avro values, keys passed through as bytes: for sinks that take their key columns from the value. A
 * ksqlDB windowed table's key is the group key plus 8 bytes of window start (KAFKA format), which no
 * Avro converter can read, and which such a sink never needs.
 */
export function avroValuesOpaqueKeys(registryUrlInNetwork: string): ConverterSettings {
  const { "key.converter.schema.registry.url": _unused, ...values } = avroConverters(registryUrlInNetwork);
  return { ...values, "key.converter": BYTE_ARRAY_CONVERTER };
}
