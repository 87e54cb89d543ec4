/**
 * The starts of a stack's services, each timed and reported, kept so that a failure can wait for every
 * start still under way and then stop everything that started.
 */
import { describeError } from "../core/errors.js";
import { ServiceStartError } from "./errors.js";
import type { LogTail } from "./log-tail.js";
import type { ServiceSpan } from "./stack-timings.js";

export type StackProgress = (event: {
  service: string;
  phase: "starting" | "ready" | "stopping";
  /** Since the stack's start() was called. */
  elapsedMs: number;
  /** For "ready": the service's own start, from its start to its readiness. */
  durationMs?: number;
}) => void;

export interface Stoppable {
  stop(): Promise<unknown>;
}

export class StartSteps {
  readonly spans = new Map<string, ServiceSpan>();
  private readonly started: Stoppable[] = [];
  private readonly inFlight: Promise<unknown>[] = [];
  private readonly startedAt = Date.now();

  constructor(
    private readonly progress: StackProgress,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Milliseconds since these steps began. */
  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Starts one service; a failure becomes a ServiceStartError naming the service, its image and its log. */
  step<T extends Stoppable>(service: string, image: string, logs: LogTail | undefined, run: () => Promise<T>): Promise<T> {
    this.signal?.throwIfAborted();
    const span: ServiceSpan = { startMs: this.elapsedMs() };
    this.spans.set(service, span);
    this.progress({ service, phase: "starting", elapsedMs: span.startMs });
    const promise = run().then(
      (container) => {
        this.started.push(container);
        span.readyMs = this.elapsedMs();
        this.progress({ service, phase: "ready", elapsedMs: span.readyMs, durationMs: span.readyMs - span.startMs });
        return container;
      },
      (error: unknown) => {
        throw error instanceof ServiceStartError ? error : new ServiceStartError(service, image, error, logs);
      },
    );
    this.inFlight.push(promise);
    // Awaited later or not at all (after an earlier failure); settled by stopEverything.
    promise.catch(() => undefined);
    return promise;
  }

  /** After a failure: waits for every start under way, then stops all that started, newest first. */
  async stopEverything(): Promise<string[]> {
    await Promise.allSettled(this.inFlight);
    return stopAll(this.started);
  }
}

/** Stops containers newest first; returns what could not be stopped. */
export async function stopAll(containers: readonly Stoppable[]): Promise<string[]> {
  const results = await Promise.allSettled([...containers].reverse().map((c) => c.stop()));
  return results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => describeError(r.reason));
}

/** Like Promise.all, but waits for every promise so that nothing keeps starting after a failure. */
export async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
