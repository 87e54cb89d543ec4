import pRetry, { AbortError } from "p-retry";
import { describeError } from "../errors.js";
import { timeouts } from "./timeout-policy.js";

/** Thrown when a condition is still unmet at its deadline. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly lastSeen: string,
    readonly whereToLook: string,
    readonly elapsedMs: number,
  ) {
    super(
      `Timed out after ${Math.round(elapsedMs / 1000)} s waiting for ${what}\n` +
        `  expected: ${expected}\n` +
        `  last seen: ${lastSeen}\n` +
        `  where to look: ${whereToLook}`,
    );
    this.name = "WaitTimeoutError";
  }
}

/** A probe result: done with a value, or not yet with a description of what was seen. */
export type Probe<T> = { done: true; value: T } | { done: false; seen: string };

export const ready = <T>(value: T): Probe<T> => ({ done: true, value });
export const notYet = (seen: string): Probe<never> => ({ done: false, seen });

/**
 * Stops polling at once: the condition can no longer be met (a FAILED task, a rejected statement).
 * Given an Error, waitUntil rethrows that error itself, so callers see its type.
 */
export class GiveUp extends Error {
  readonly reason: Error | undefined;

  constructor(messageOrError: string | Error, options?: { cause?: unknown }) {
    super(typeof messageOrError === "string" ? messageOrError : messageOrError.message, options);
    this.name = "GiveUp";
    this.reason = typeof messageOrError === "string" ? undefined : messageOrError;
  }
}

export interface WaitOptions {
  /** What we wait for, in words ("connector 'src' RUNNING"). */
  what: string;
  /** What would satisfy the wait, in words. */
  expected: string;
  /** Where a human should look when it times out (a log, a REST URL, a table). */
  whereToLook: string;
  timeoutMs?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

class NotYet extends Error {
  constructor(readonly seen: string) {
    super(seen);
  }
}

/**
 * Polls `probe` until it reports done, with a fixed interval under one deadline.
 * Errors thrown by the probe count as "not yet" (services still starting), except GiveUp.
 */
export async function waitUntil<T>(probe: () => Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? timeouts.operationMs;
  const interval = options.pollIntervalMs ?? timeouts.pollIntervalMs;
  const started = Date.now();
  let lastSeen = "nothing yet (no poll completed)";
  try {
    return await pRetry(
      async () => {
        let result: Probe<T>;
        try {
          result = await probe();
        } catch (error) {
          if (error instanceof GiveUp) throw new AbortError(error);
          result = notYet(`error: ${describeError(error)}`);
        }
        if (result.done) return result.value;
        lastSeen = result.seen;
        throw new NotYet(result.seen);
      },
      {
        retries: Number.MAX_SAFE_INTEGER,
        factor: 1,
        minTimeout: interval,
        maxTimeout: interval,
        randomize: false,
        maxRetryTime: timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  } catch (error) {
    if (error instanceof GiveUp) throw error.reason ?? error;
    if (error instanceof NotYet || Date.now() - started >= timeoutMs) {
      throw new WaitTimeoutError(options.what, options.expected, lastSeen, options.whereToLook, Date.now() - started);
    }
    throw error;
  }
}
