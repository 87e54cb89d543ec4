/**
 * Polls a sink table until it holds exactly the expected rows. On timeout the error shows
 * the diff of the last read, the caller's diagnostics (connector status) and where to look.
 */
import { timeouts } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil, WaitTimeoutError, type Probe } from "../../core/wait/wait-until.js";
import { describeError } from "../../core/errors.js";
import { describeWhere, type SinkWhere } from "./sink-filter.js";
import { readSinkTable, type Queryable, type SinkRow, type SinkTableRead } from "./sink-reader.js";
import { describeMismatch, type LastSinkObservation } from "./sink-mismatch-message.js";
import { kindMismatch, readTableShape } from "./sink-schema.js";
import { diffTables, isEmptyDiff } from "./table-diff.js";
import { normaliseTableSpec, type NormalisedTableSpec, type Row, type TableSpec } from "./table-spec.js";
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
  const whereToLook = options.whereToLook ?? DEFAULT_WHERE_TO_LOOK;
  const started = Date.now();
  const probe = new SinkTableProbe(db, normalised, expected, options);
  try {
    return await waitUntil(() => probe.read(), {
      what: `sink table ${wanted} to hold ${expectation}`,
      expected: expectation,
      whereToLook,
      timeoutMs: options.timeoutMs ?? timeouts.dataMs,
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError) && !(error instanceof GiveUp)) throw error;
    const diagnostics = options.diagnostics === undefined ? undefined : await collectDiagnostics(options.diagnostics);
    const message = describeMismatch({
      cause: probe.cause,
      spec: normalised,
      wanted,
      expectation,
      expectedCount: expected.length,
      last: probe.last,
      elapsedMs: Date.now() - started,
      reads: probe.reads,
      diagnostics,
      whereToLook,
    });
    throw new SinkTableMismatchError(message, wanted, expected.length, probe.last, diagnostics, { cause: error });
  }
}

/** One read of the table per poll: ready when it equals the expectation, a GiveUp when it never can. */
class SinkTableProbe {
  reads = 0;
  last: LastSinkObservation | undefined;
  /** Why the wait gave up early, if it did. */
  cause: string | undefined;
  private typesChecked = false;
  private lastWatch = 0;
  private readonly stillness: Stillness;

  constructor(
    private readonly db: Queryable,
    private readonly spec: NormalisedTableSpec,
    private readonly expected: readonly Row[],
    private readonly options: AssertSinkTableOptions,
  ) {
    this.stillness = new Stillness(options.settled);
  }

  async read(): Promise<Probe<readonly SinkRow[]>> {
    this.reads += 1;
    await this.watch();
    let read: SinkTableRead;
    try {
      read = await readSinkTable(this.db, this.spec, { where: this.options.where });
    } catch (error) {
      this.last = { kind: "error", message: describeError(error) };
      return notYet(`reading failed: ${this.last.message}`);
    }
    this.last = { kind: "read", read };
    if (read.state === "ambiguous") throw new GiveUp(`${read.what} is ambiguous: ${read.candidates.join(" and ")}`);
    if (read.state === "missing-columns" && !this.options.waitForColumns) {
      this.hopeless(
        `table ${read.table.displayName} has no column(s) ${read.missing.join(", ")} (it has ${read.present.join(", ")}): ` +
          "the expectation names columns the sink never writes",
      );
    }
    if (read.state !== "rows") {
      return notYet(read.state === "no-table" ? `no table ${read.wanted}` : `columns missing: ${read.missing.join(", ")}`);
    }
    await this.checkTypesOnce(read.table.schema, read.table.name);
    const diff = diffTables(this.spec, this.expected, read.rows);
    this.last = { kind: "read", read, diff };
    if (isEmptyDiff(diff)) return ready(read.rows);
    const stillMs = await this.stillness.settledFor(read.rows);
    if (stillMs !== undefined) {
      this.hopeless(
        `the pipeline has processed everything written (nothing in flight) and the table has not changed for ` +
          `${(stillMs / 1000).toFixed(1)} s: it will not change any more (a data difference, not slowness: raising E2E_WAIT_UNIT_MS will not help)`,
      );
    }
    return notYet(`${read.rows.length} rows, not yet equal`);
  }

  private hopeless(reason: string): never {
    this.cause = reason;
    throw new GiveUp(reason);
  }

  private async watch(): Promise<void> {
    if (this.options.watch === undefined || Date.now() - this.lastWatch < WATCH_INTERVAL_MS) return;
    this.lastWatch = Date.now();
    const reason = await this.options.watch();
    if (reason !== undefined) this.hopeless(reason);
  }

  private async checkTypesOnce(schema: string, table: string): Promise<void> {
    if (this.typesChecked) return;
    this.typesChecked = true;
    const shape = await readTableShape(this.db, schema, table);
    for (const [name, kind] of this.spec.columns) {
      const column = shape?.columns.find((c) => c.name.toLowerCase() === name);
      const mismatch = column === undefined ? undefined : kindMismatch(name, kind, column);
      if (mismatch !== undefined) this.hopeless(mismatch);
    }
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

export function describeExpectation(count: number, where: SinkWhere | undefined): string {
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
