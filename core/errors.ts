/** An error's message, with its code when it has one (ECONNREFUSED …); anything else as text. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? error.message : `${String(code)} ${error.message}`;
  }
  return String(error);
}

/** Throws: for the right-hand side of `??` where a missing value is a mistake the message explains. */
export function fail(message: string): never {
  throw new Error(message);
}
