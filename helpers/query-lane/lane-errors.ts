/** What a scenario asked for that needs the stack: the queries lane has no services. */
export class NotInQueryLaneError extends Error {
  override readonly name = "NotInQueryLaneError";
}

export function notInQueryLane(what: string, why = "it needs the stack's services"): never {
  throw new NotInQueryLaneError(
    `${what} is not in the queries lane: ${why}. Mark the test with itOnStack(…) (ksql-pipeline-e2e/vitest) so that only the ` +
      "full run (npm test) runs it",
  );
}
