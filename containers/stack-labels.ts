/** Carried by every container of a stack (value: the stack's id), so whatever a start left behind can be found. */
export const STACK_LABEL = "ksql-pipeline-e2e.stack";

/** The network of the stack with this id. */
export function stackNetworkName(stackId: string): string {
  return `ksql-e2e-${stackId}`;
}
