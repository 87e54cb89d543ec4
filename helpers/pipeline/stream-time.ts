import type { SqlStatement } from "../../core/sql/statement-splitter.js";
import { isSignificant, tokenize, type SqlToken } from "../../core/sql/sql-tokens.js";

/** What makes a ksqlDB result wait for stream time: a window or a stream-stream join. */
export interface TimeBound {
  readonly kind: "TUMBLING" | "HOPPING" | "SESSION" | "WITHIN";
  /** Window size, session gap, or the larger side of a join window. */
  readonly spanMs: number;
  /** GRACE PERIOD, or ksqlDB's default of 24 hours when none is given. */
  readonly graceMs: number;
  /** RETENTION: how long the window store keeps a window; ksqlDB's default is its span + grace. */
  readonly retentionMs: number | undefined;
  /** The statement ends with EMIT FINAL: one row per window once it closes, instead of every change. */
  readonly emitFinal: boolean;
  /** Where it is written. */
  readonly at: string;
}

/** ksqlDB's grace period where a window or join declares none (deprecated, but still the default). */
export const DEFAULT_GRACE_MS = 24 * 3_600_000;

const UNIT_MS: Readonly<Record<string, number>> = {
  MILLISECOND: 1,
  SECOND: 1_000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

/** Every window and join window of the statements. */
export function timeBoundsOf(statements: readonly SqlStatement[]): TimeBound[] {
  const bounds: TimeBound[] = [];
  for (const statement of statements) {
    const tokens = tokenize(statement.text).filter(isSignificant);
    const at = `${statement.source}:${statement.line}`;
    const emitFinal = tokens.some((token, i) => token.text.toUpperCase() === "EMIT" && tokens[i + 1]?.text.toUpperCase() === "FINAL");
    tokens.forEach((token, i) => {
      const word = token.kind === "word" ? token.text.toUpperCase() : "";
      const kind = tokens[i + 1]?.text.toUpperCase();
      if (word === "WINDOW" && (kind === "TUMBLING" || kind === "HOPPING" || kind === "SESSION")) {
        const inside = parenthesised(tokens, i + 2);
        const durations = durationsIn(inside);
        const grace = graceIn(inside);
        // TUMBLING (SIZE d …), HOPPING (SIZE d, ADVANCE BY d …), SESSION (d …): the first duration is the span.
        const span = durations[0];
        if (span !== undefined) {
          bounds.push({ kind, spanMs: span, graceMs: grace ?? DEFAULT_GRACE_MS, retentionMs: retentionIn(inside), emitFinal, at });
        }
      } else if (word === "WITHIN") {
        const after = tokens.slice(i + 1);
        const sides = after[0]?.text === "(" ? durationsIn(parenthesised(tokens, i + 1)) : durationsIn(after.slice(0, 2));
        const grace = graceIn(after.slice(0, 12));
        if (sides.length > 0) {
          bounds.push({
            kind: "WITHIN",
            spanMs: Math.max(...sides),
            graceMs: grace ?? DEFAULT_GRACE_MS,
            retentionMs: undefined,
            emitFinal,
            at,
          });
        }
      }
    });
  }
  return bounds;
}

/**
 * How far past the latest event a later event must be so that every window has closed and every
 * join has given up on its partner: the largest span + grace, plus a second so that windows'
 * exclusive ends are passed too. 0 when the statements have neither windows nor joins.
 */
export function streamTimeHorizonMs(bounds: readonly TimeBound[]): number {
  if (bounds.length === 0) return 0;
  return Math.max(...bounds.map((bound) => bound.spanMs + bound.graceMs)) + 1_000;
}

/**
 * Windows whose results ksqlDB 8.1 does not deliver as the statement asks, each with where it is written.
 * EMIT FINAL emits a window when a record moves stream time past its close (end + grace); but the window
 * store keeps a window only for its RETENTION (by default span + grace), and drops it when stream time
 * passes that. A window closed by a record that moves stream time further than its retention is dropped
 * unemitted, silently (README "Windows and EMIT FINAL", measured by `npm run bench`). Sparse events and a
 * flush do exactly that, so the retention must be longer than the window by the largest such jump.
 */
export function unhonouredWindows(bounds: readonly TimeBound[]): string[] {
  return bounds
    .filter((bound) => bound.kind !== "WITHIN" && bound.emitFinal && (bound.retentionMs ?? 0) <= bound.spanMs + bound.graceMs)
    .map(
      (bound) =>
        `${bound.at}: EMIT FINAL on a ${bound.kind} window whose retention (${bound.retentionMs === undefined ? "none given: its span + grace" : describeMs(bound.retentionMs)}) ` +
        "ends as soon as the window closes: ksqlDB drops, unemitted, every window closed by a record that moves stream time " +
        "further than that, as sparse events and a flush do, so the table will miss rows. Give the window a RETENTION longer " +
        'than span + grace by the largest jump of stream time, e.g. RETENTION 1 DAY (README "Windows and EMIT FINAL").',
    );
}

function describeMs(ms: number): string {
  const [unit, size] = Object.entries(UNIT_MS)
    .reverse()
    .find(([, size]) => ms % size === 0) ?? ["MILLISECOND", 1];
  return `${ms / size} ${unit}${ms / size === 1 ? "" : "S"}`;
}

function parenthesised(tokens: readonly SqlToken[], open: number): SqlToken[] {
  if (tokens[open]?.text !== "(") return [];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]?.text === "(") depth++;
    if (tokens[i]?.text === ")" && --depth === 0) return tokens.slice(open + 1, i);
  }
  return tokens.slice(open + 1);
}

/** The durations (`10 MINUTES`) among the tokens, GRACE PERIOD's and RETENTION's excluded, in order. */
function durationsIn(tokens: readonly SqlToken[]): number[] {
  const durations: number[] = [];
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1]?.text.toUpperCase();
    const ms = durationAt(tokens, i);
    if (ms !== undefined && previous !== "PERIOD" && previous !== "RETENTION") durations.push(ms);
  });
  return durations;
}

function retentionIn(tokens: readonly SqlToken[]): number | undefined {
  const i = tokens.findIndex((token) => token.text.toUpperCase() === "RETENTION");
  return i === -1 ? undefined : durationAt(tokens, i + 1);
}

function graceIn(tokens: readonly SqlToken[]): number | undefined {
  const i = tokens.findIndex((token, j) => token.text.toUpperCase() === "GRACE" && tokens[j + 1]?.text.toUpperCase() === "PERIOD");
  return i === -1 ? undefined : durationAt(tokens, i + 2);
}

function durationAt(tokens: readonly SqlToken[], i: number): number | undefined {
  const amount = tokens[i];
  const unit = UNIT_MS[(tokens[i + 1]?.text ?? "").toUpperCase().replace(/S$/, "")];
  if (amount?.kind !== "number" || unit === undefined) return undefined;
  return Number(amount.text) * unit;
}
