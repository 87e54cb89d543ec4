/** A script that cannot be read as statements (an unterminated quote or comment): names the file, line and column. */
export class SqlScriptError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${source}:${line}:${column}: ${problem}`);
    this.name = "SqlScriptError";
  }
}
