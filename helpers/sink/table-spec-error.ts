/** The test itself is wrong (bad spec or expected rows), as opposed to the pipeline. */
export class TableSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TableSpecError";
  }
}
