/**
 * Timestamps as epoch microseconds (bigint): PostgreSQL keeps microseconds, and comparing at
 * millisecond precision would let a sink that writes 10:00:00.123456 pass for 10:00:00.123.
 */

// PostgreSQL ISO output ("2024-01-01 10:00:00.5+01"), JSON/ISO-8601 ("2024-01-01T10:00:00.500Z"), or a bare date.
const TIMESTAMP_TEXT =
  /^(\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i;

export type Zoneless = "utc" | "local";

/** Parses timestamp text to epoch microseconds; undefined if it is not a valid timestamp. */
export function parseTimestampMicros(text: string, zoneless: Zoneless): bigint | undefined {
  const match = TIMESTAMP_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, yearText, monthText, dayText, hourText = "0", minuteText = "0", secondText = "0", fractionText = "", zone] = match;
  const [year, month, day, hour, minute, second] = [yearText, monthText, dayText, hourText, minuteText, secondText].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59) return undefined;

  const wallClockAsUtc = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  wallClockAsUtc.setUTCFullYear(year, month - 1, day);
  if (wallClockAsUtc.getUTCMonth() !== month - 1 || wallClockAsUtc.getUTCDate() !== day) return undefined;

  let epochMillis: number;
  if (zone !== undefined) {
    epochMillis = wallClockAsUtc.getTime() - zoneOffsetSeconds(zone) * 1000;
  } else if (zoneless === "utc") {
    epochMillis = wallClockAsUtc.getTime();
  } else {
    const local = new Date(2000, month - 1, day, hour, minute, second);
    local.setFullYear(year, month - 1, day);
    epochMillis = local.getTime();
  }
  const micros = BigInt(fractionText.padEnd(6, "0").slice(0, 6));
  return BigInt(epochMillis) * 1000n + micros;
}

export function epochMillisToMicros(millis: number): bigint {
  return BigInt(Math.round(millis * 1000));
}

/** ISO-8601 in UTC, with microseconds only when there are any: 2024-01-01T10:00:00.123456Z. */
export function formatMicros(micros: bigint): string {
  const millis = floorDiv(micros, 1000n);
  const extraMicros = micros - millis * 1000n;
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return `${micros} µs since epoch`;
  const iso = date.toISOString();
  return extraMicros === 0n ? iso : `${iso.slice(0, -1)}${extraMicros.toString().padStart(3, "0")}Z`;
}

function zoneOffsetSeconds(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replaceAll(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || "0");
  const seconds = Number(digits.slice(4, 6) || "0");
  return sign * (hours * 3600 + minutes * 60 + seconds);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}
