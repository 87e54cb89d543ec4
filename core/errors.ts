/** An error's message, with its code when it has one (ECONNREFUSED …); anything else as text. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? error.message : `${textOf(code)} ${error.message}`;
  }
  return textOf(error);
}

/** Any value as text: strings as they are, objects as JSON (never "[object Object]"). */
export function textOf(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
    case "symbol":
    case "undefined":
      return String(value);
    case "function":
      return `function ${value.name || "(anonymous)"}`;
    default:
      if (value === null) return "null";
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      try {
        return JSON.stringify(value) ?? Object.prototype.toString.call(value);
      } catch {
        return Object.prototype.toString.call(value);
      }
  }
}

/** Throws: for the right-hand side of `??` where a missing value is a mistake the message explains. */
export function fail(message: string): never {
  throw new Error(message);
}
