/**
 * Canonical forms of PostgreSQL values that have more than one spelling, for exact comparison:
 * arrays (`{a,"b c",NULL}`), intervals (`1 day 02:00:00` or `P1DT2H`), bytea (`\x01ff`), time of day.
 */

/** The elements of a one-dimensional array literal as PostgreSQL prints it; NULL elements as null. */
export function parseArrayText(text: string): Array<string | null> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return undefined;
  const body = trimmed.slice(1, -1);
  if (body === "") return [];
  const elements: Array<string | null> = [];
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let value = "";
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === "\\") i++;
        value += body[i] ?? "";
        i++;
      }
      if (body[i] !== '"') return undefined;
      elements.push(value);
      i++;
    } else {
      const end = body.indexOf(",", i);
      const raw = body.slice(i, end === -1 ? body.length : end).trim();
      if (raw.startsWith("{")) return undefined; // nested arrays are not supported
      elements.push(raw.toUpperCase() === "NULL" ? null : raw);
      i = end === -1 ? body.length : end;
    }
    if (i >= body.length) break;
    if (body[i] !== ",") return undefined;
    i++;
  }
  return elements;
}

/** An interval as months, days and microseconds: PostgreSQL keeps the three apart (1 mon ≠ 30 days). */
export interface IntervalParts {
  readonly months: number;
  readonly days: number;
  readonly micros: bigint;
}

const PG_UNITS: Readonly<Record<string, "years" | "months" | "days">> = {
  year: "years",
  years: "years",
  mon: "months",
  mons: "months",
  month: "months",
  months: "months",
  day: "days",
  days: "days",
};

/** PostgreSQL's default output (`1 year 2 mons -3 days 04:05:06.5`) or ISO-8601 (`P1Y2M-3DT4H5M6.5S`). */
export function parseInterval(text: string): IntervalParts | undefined {
  const trimmed = text.trim();
  return /^-?P/i.test(trimmed) ? parseIsoInterval(trimmed) : parsePostgresInterval(trimmed);
}

export function formatInterval(parts: IntervalParts): string {
  const sign = parts.micros < 0n ? "-" : "";
  const abs = parts.micros < 0n ? -parts.micros : parts.micros;
  const seconds = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  const clock =
    `${sign}${String(seconds / 3600n).padStart(2, "0")}:${String((seconds / 60n) % 60n).padStart(2, "0")}:` +
    `${String(seconds % 60n).padStart(2, "0")}${fraction ? `.${fraction}` : ""}`;
  return `${parts.months} mons ${parts.days} days ${clock}`;
}

function parsePostgresInterval(text: string): IntervalParts | undefined {
  let months = 0;
  let days = 0;
  let micros = 0n;
  const tokens = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const clock = /^([+-])?(\d+):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(token);
    if (clock) {
      const [, sign, h = "0", m = "0", s = "0", f = ""] = clock;
      const value = ((BigInt(h) * 60n + BigInt(m)) * 60n + BigInt(s)) * 1_000_000n + BigInt(f.padEnd(6, "0"));
      micros += sign === "-" ? -value : value;
      continue;
    }
    const amount = Number(token);
    const unit = PG_UNITS[(tokens[i + 1] ?? "").toLowerCase()];
    if (!Number.isInteger(amount) || unit === undefined) return undefined;
    if (unit === "years") months += 12 * amount;
    else if (unit === "months") months += amount;
    else days += amount;
    i++;
  }
  return tokens.length === 0 ? undefined : { months, days, micros };
}

function parseIsoInterval(text: string): IntervalParts | undefined {
  const match =
    /^(-)?P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+)(?:\.(\d{1,6}))?S)?)?$/i.exec(text);
  if (!match || text.toUpperCase() === "P" || /T$/i.test(text)) return undefined;
  const [, negative, y = "0", mo = "0", w = "0", d = "0", h = "0", mi = "0", s = "0", f = ""] = match;
  const sign = negative ? -1 : 1;
  const secondsMicros = BigInt(s) * 1_000_000n + (s.startsWith("-") ? -1n : 1n) * BigInt(f.padEnd(6, "0"));
  const micros = (BigInt(h) * 60n + BigInt(mi)) * 60n * 1_000_000n + secondsMicros;
  return { months: sign * (12 * Number(y) + Number(mo)), days: sign * (7 * Number(w) + Number(d)), micros: BigInt(sign) * micros };
}

/** bytea as PostgreSQL's hex text (`\x01ff`), from a Buffer, a Uint8Array or that text. */
export function byteaHex(value: unknown): string | undefined {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (typeof value === "string" && /^\\x([0-9a-f]{2})*$/i.test(value)) return value.toLowerCase();
  return undefined;
}

/** A time of day (`09:30`, `09:30:00.25`, optionally with an offset `+02`) as microseconds and offset. */
export function parseTimeOfDay(text: string): { micros: bigint; offset: string } | undefined {
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?([+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, h = "0", m = "0", s = "0", f = "", offset = ""] = match;
  if (Number(h) > 24 || Number(m) > 59 || Number(s) > 59) return undefined;
  return { micros: ((BigInt(h) * 60n + BigInt(m)) * 60n + BigInt(s)) * 1_000_000n + BigInt(f.padEnd(6, "0")), offset };
}
