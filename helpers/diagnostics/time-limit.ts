/** Thrown when a diagnostic step gives no answer in time. */
export class TimeLimitError extends Error {
  constructor(
    readonly what: string,
    readonly limitMs: number,
  ) {
    super(`${what} gave no answer within ${(limitMs / 1000).toFixed(0)} s`);
    this.name = "TimeLimitError";
  }
}

/**
 * Settles with the work, or rejects with TimeLimitError at the deadline. The work is not
 * cancelled: diagnostics must never hang the run that asked for them.
 */
export async function withTimeLimit<T>(work: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(what, limitMs)), limitMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
