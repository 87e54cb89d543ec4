/**
 * What Debezium's Postgres connector makes of a column, as ksqlDB then reads it from the registry: the ksqlDB type of
 * each captured column under the connector's settings (time.precision.mode, decimal.handling.mode,
 * interval.handling.mode), measured on the stack (README "Types": DESCRIBE of the captured streams).
 */
import type { SourceColumn } from "../pipeline/source-tables.js";

export interface DebeziumSettings {
  /** connect: timestamps as Connect's Timestamp (ksqlDB TIMESTAMP); adaptive (Debezium's default): epoch numbers. */
  readonly timePrecision: "connect" | "adaptive" | "adaptive_time_microseconds";
  readonly decimalHandling: "precise" | "double" | "string";
  readonly intervalHandling: "numeric" | "string";
}

export function debeziumSettings(config: Readonly<Record<string, string>>): DebeziumSettings {
  const time = config["time.precision.mode"] ?? "adaptive";
  const decimal = config["decimal.handling.mode"] ?? "precise";
  const interval = config["interval.handling.mode"] ?? "numeric";
  return {
    timePrecision: time === "connect" || time === "adaptive_time_microseconds" ? time : "adaptive",
    decimalHandling: decimal === "double" || decimal === "string" ? decimal : "precise",
    intervalHandling: interval === "string" ? "string" : "numeric",
  };
}

/** A ksqlDB type, as SQL writes it, and how a value of it is written in the lane's INSERT statements. */
export type LaneType =
  | { readonly sql: "STRING" | "INTEGER" | "BIGINT" | "DOUBLE" | "BOOLEAN" | "BYTES" | "DATE" | "TIME" | "TIMESTAMP" }
  | { readonly sql: `DECIMAL(${number},${number})`; readonly scale: number }
  | { readonly sql: `ARRAY<${string}>`; readonly element: LaneType }
  | { readonly sql: "STRUCT<SCALE INTEGER, VALUE BYTES>"; readonly variableScaleDecimal: true };

const STRING: LaneType = { sql: "STRING" };

export function laneTypeOf(column: SourceColumn, settings: DebeziumSettings): LaneType {
  return typeOf(column.type, settings);
}

function typeOf(type: string, settings: DebeziumSettings): LaneType {
  if (type.endsWith("[]")) {
    const element = typeOf(type.slice(0, -2), settings);
    return { sql: `ARRAY<${element.sql}>`, element };
  }
  if (/^(smallint|int2|integer|int|int4|serial|smallserial)\b/.test(type)) return { sql: "INTEGER" };
  if (/^(bigint|int8|bigserial)\b/.test(type)) return { sql: "BIGINT" };
  if (/^(real|float4|double precision|float8|float)\b/.test(type)) return { sql: "DOUBLE" };
  if (/^bool(ean)?\b/.test(type)) return { sql: "BOOLEAN" };
  if (/^bytea\b/.test(type)) return { sql: "BYTES" };
  const numeric = /^(numeric|decimal)(?:\((\d+)(?:,(\d+))?\))?/.exec(type);
  if (numeric) {
    if (settings.decimalHandling === "double") return { sql: "DOUBLE" };
    if (settings.decimalHandling === "string") return STRING;
    if (numeric[2] === undefined) return { sql: "STRUCT<SCALE INTEGER, VALUE BYTES>", variableScaleDecimal: true };
    const precision = Number(numeric[2]);
    const scale = Number(numeric[3] ?? 0);
    return { sql: `DECIMAL(${precision},${scale})`, scale };
  }
  if (/^date\b/.test(type)) return settings.timePrecision === "connect" ? { sql: "DATE" } : { sql: "INTEGER" };
  if (/^time(\(\d\))?( without time zone)?$/.test(type)) return settings.timePrecision === "connect" ? { sql: "TIME" } : { sql: "BIGINT" };
  if (/^timestamp(\(\d\))?( without time zone)?$/.test(type)) {
    return settings.timePrecision === "connect" ? { sql: "TIMESTAMP" } : { sql: "BIGINT" };
  }
  if (/^interval\b/.test(type)) return settings.intervalHandling === "string" ? STRING : { sql: "BIGINT" };
  // timestamptz and timetz (ISO text), uuid, json, jsonb, xml, inet, text, varchar, char, enums: text.
  return STRING;
}
