/** Reading a target file's fields, each failure naming the file, the field and what it needs. */

export class TargetFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`target file ${file}: ${problem}`);
    this.name = "TargetFileError";
  }
}

export class Fields {
  constructor(
    readonly file: string,
    private readonly path: string,
    private readonly value: unknown,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path || "the file", "must be a JSON object");
    for (const key of Object.keys(value)) {
      if (/password|secret|token/i.test(key) && !key.endsWith("Env")) {
        this.fail(this.at(key), "secrets do not belong in the file: name the environment variable that holds it (passwordEnv)");
      }
    }
  }

  string(key: string): string {
    return this.optionalString(key) ?? this.fail(this.at(key), "is required (a non-empty string)");
  }

  optionalString(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.trim() === "") this.fail(this.at(key), "must be a non-empty string");
    return value.trim();
  }

  stringList(key: string): string[] {
    const value = this.raw(key);
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string" || v.trim() === "")) {
      this.fail(this.at(key), "must be a non-empty list of URLs");
    }
    return (value as string[]).map((v) => v.trim());
  }

  optionalPositiveInteger(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) this.fail(this.at(key), "must be a whole number of 1 or more");
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.optionalString(key) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) this.fail(this.at(key), `must be one of ${allowed.join(", ")}, got '${value}'`);
    return value as T;
  }

  /** The value of the environment variable the field names: the only way a secret reaches the harness. */
  secret(key: string): string {
    const variable = this.string(key);
    const value = this.env[variable];
    if (value === undefined || value === "") this.fail(this.at(key), `names ${variable}, which is not set`);
    return value;
  }

  object(key: string): Fields {
    return this.optionalObject(key) ?? this.fail(this.at(key), "is required (an object)");
  }

  optionalObject(key: string): Fields | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : new Fields(this.file, this.at(key), value, this.env);
  }

  private raw(key: string): unknown {
    return (this.value as Record<string, unknown>)[key];
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  private fail(field: string, problem: string): never {
    throw new TargetFileError(this.file, `${field} ${problem}`);
  }
}
