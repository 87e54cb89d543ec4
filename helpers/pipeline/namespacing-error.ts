/** A file of a pipeline definition that the harness cannot give a scenario its own copy of. */
export class NamespacingError extends Error {
  constructor(
    /** File, and line where known: `fixtures/shop/sql/shop.sql:42`. */
    readonly where: string,
    problem: string,
    fix: string,
  ) {
    super(`${where}: ${problem}\n  fix: ${fix}\n  (README "Testing your own pipeline", namespacing rules)`);
    this.name = "NamespacingError";
  }
}
