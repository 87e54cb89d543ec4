/**
 * Polls a sink table until it holds exactly the expected rows. On timeout the error shows
 * the diff of the last read, the caller's diagnostics (connector status) and where to look.
 */
import { timeouts } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil, WaitTimeoutError } from "../../core/wait/wait-until.js";
import { describeError } from "../../core/errors.js";
import { describeWhere, type SinkWhere } from "./sink-filter.js";
import { readSinkTable, type Queryable, type SinkRow, type SinkTableRead } from "./sink-reader.js";
import { describeMismatch, type LastSinkObservation } from "./sink-mismatch-message.js";
import { kindMismatch, readTableShape } from "./sink-schema.js";
import { diffTables, isEmptyDiff } from "./table-diff.js";
import { normaliseTableSpec, type Row, type TableSpec } from "./table-spec.js";
import { checkExpectedRows } from "./expected-rows.js";

export type { LastSinkObservation } from "./sink-mismatch-message.js";

export interface AssertSinkTableOptions {
  readonly where?: SinkWhere;
  /** Default: the harness's data timeout (E2E_WAIT_UNIT_MS × 45). */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  /** Called once on failure; its text (e.g. the sink connector's status) goes into the error. */
  readonly diagnostics?: () => Promise<string>;
  /** Replaces the default advice on where to look. */
  readonly whereToLook?: string;
  readonly signal?: AbortSignal;
  /**
   * Why the table can never match any more (a FAILED sink task, a query in ERROR), or undefined; asked
   * at most once a second while polling. A reason ends the wait at once, with it as the cause.
   */
  readonly watch?: () => Promise<string | undefined>;
  /**
   * Keep polling while the table lacks columns of the spec (a schema change still under way). By
   * default a table that exists without them fails at once: the expectation names wrong columns.
   */
  readonly waitForColumns?: boolean;
  /**
   * Whether everything written has gone through the pipeline (nothing in flight). When it has, and the table
   * has not changed for a while, it never will: the wait stops then with the diff, instead of at the deadline.
   */
  readonly settled?: () => Promise<boolean>;
}

export class SinkTableMismatchError extends Error {
  constructor(
    message: string,
    readonly table: string,
    readonly expectedCount: number,
    readonly last: LastSinkObservation | undefined,
    readonly diagnostics: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SinkTableMismatchError";
  }
}

const DIAGNOSTICS_TIMEOUT_MS = 15_000;
const WATCH_INTERVAL_MS = 1_000;
/** How long a table must stay as it is, on a settled pipeline, before a difference is final. */
export const SETTLED_FOR_MS = 2_000;
const DEFAULT_WHERE_TO_LOOK =
  "the sink connector's status and task trace (Connect REST GET /connectors/<name>/status), the Connect worker log, " +
  "and the sink database (rerun the query above)";

/** Resolves with the matching rows; rejects with SinkTableMismatchError (or TableSpecError for a wrong test). */
export async function assertSinkTableEquals(
  db: Queryable,
  spec: TableSpec,
  /** Plain objects; interfaces of model rows are accepted as they are. */
  expectedRows: readonly object[],
  options: AssertSinkTableOptions = {},
): Promise<readonly SinkRow[]> {
  const normalised = normaliseTableSpec(spec);
  const expected = checkExpectedRows(normalised, expectedRows as readonly Row[]);
  const wanted = `${spec.schema ?? normalised.schema}.${spec.table}`;
  const expectation = describeExpectation(expected.length, options.where);
  const started = Date.now();
  let reads = 0;
  let last: LastSinkObservation | undefined;
  let cause: string | undefined;
  let typesChecked = false;
  let lastWatch = 0;
  const stillness = new Stillness(options.settled);
  const hopeless = (reason: string): never => {
    cause = reason;
    throw new GiveUp(reason);
  };

  const probe = async () => {
    reads += 1;
    if (options.watch !== undefined && Date.now() - lastWatch >= WATCH_INTERVAL_MS) {
      lastWatch = Date.now();
      const reason = await options.watch();
      if (reason !== undefined) hopeless(reason);
    }
    let read: SinkTableRead;
    try {
      read = await readSinkTable(db, normalised, { where: options.where });
    } catch (error) {
      last = { kind: "error", message: describeError(error) };
      return notYet(`reading failed: ${last.message}`);
    }
    if (read.state === "ambiguous") {
      last = { kind: "read", read };
      throw new GiveUp(`${read.what} is ambiguous: ${read.candidates.join(" and ")}`);
    }
    if (read.state === "missing-columns" && !options.waitForColumns) {
      last = { kind: "read", read };
      hopeless(`table ${read.table.displayName} has no column(s) ${read.missing.join(", ")} (it has ${read.present.join(", ")}): ` +
        "the expectation names columns the sink never writes");
    }
    if (read.state !== "rows") {
      last = { kind: "read", read };
      return notYet(read.state === "no-table" ? `no table ${read.wanted}` : `columns missing: ${read.missing.join(", ")}`);
    }
    if (!typesChecked) {
      typesChecked = true;
      const shape = await readTableShape(db, read.table.schema, read.table.name);
      for (const [name, kind] of normalised.columns) {
        const column = shape?.columns.find((c) => c.name.toLowerCase() === name);
        const mismatch = column === undefined ? undefined : kindMismatch(name, kind, column);
        if (mismatch !== undefined) {
          last = { kind: "read", read };
          hopeless(mismatch);
        }
      }
    }
    const diff = diffTables(normalised, expected, read.rows);
    last = { kind: "read", read, diff };
    if (isEmptyDiff(diff)) return ready(read.rows);
    const stillMs = await stillness.settledFor(read.rows);
    if (stillMs !== undefined) {
      hopeless(`the pipeline has processed everything written (nothing in flight) and the table has not changed for ` +
        `${(stillMs / 1000).toFixed(1)} s: it will not change any more (a data difference, not slowness: raising E2E_WAIT_UNIT_MS will not help)`);
    }
    return notYet(`${read.rows.length} rows, not yet equal`);
  };

  try {
    return await waitUntil(probe, {
      what: `sink table ${wanted} to hold ${expectation}`,
      expected: expectation,
      whereToLook: options.whereToLook ?? DEFAULT_WHERE_TO_LOOK,
      timeoutMs: options.timeoutMs ?? timeouts.dataMs,
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError) && !(error instanceof GiveUp)) throw error;
    const diagnostics = options.diagnostics === undefined ? undefined : await collectDiagnostics(options.diagnostics);
    const message = describeMismatch({
      cause,
      spec: normalised,
      wanted,
      expectation,
      expectedCount: expected.length,
      last,
      elapsedMs: Date.now() - started,
      reads,
      diagnostics,
      whereToLook: options.whereToLook ?? DEFAULT_WHERE_TO_LOOK,
    });
    throw new SinkTableMismatchError(message, wanted, expected.length, last, diagnostics, { cause: error });
  }
}

/**
 * Tells when a table that differs from the expectation is final: it has read the same rows for SETTLED_FOR_MS
 * and the pipeline then says it has nothing in flight (asked at most every SETTLED_FOR_MS).
 */
class Stillness {
  private fingerprint = "";
  private since = Date.now();
  private lastAsked = 0;

  constructor(private readonly settled: (() => Promise<boolean>) | undefined) {}

  /** How long the table has been still on a settled pipeline, or undefined while it may still change. */
  async settledFor(rows: readonly SinkRow[]): Promise<number | undefined> {
    if (this.settled === undefined) return undefined;
    const fingerprint = JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
    if (fingerprint !== this.fingerprint) {
      this.fingerprint = fingerprint;
      this.since = Date.now();
      return undefined;
    }
    const still = Date.now() - this.since;
    if (still < SETTLED_FOR_MS || Date.now() - this.lastAsked < SETTLED_FOR_MS) return undefined;
    this.lastAsked = Date.now();
    return (await this.settled().catch(() => false)) ? still : undefined;
  }
}

function describeExpectation(count: number, where: SinkWhere | undefined): string {
  const filter = describeWhere(where);
  return `exactly ${count} ${count === 1 ? "row" : "rows"}${filter === "" ? "" : ` where ${filter}`}`;
}

async function collectDiagnostics(diagnostics: () => Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`(diagnostics gave no answer within ${DIAGNOSTICS_TIMEOUT_MS / 1000} s)`), DIAGNOSTICS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([diagnostics(), timeout]);
  } catch (error) {
    return `(diagnostics failed: ${describeError(error)})`;
  } finally {
    clearTimeout(timer);
  }
}
