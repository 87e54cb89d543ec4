import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import {
  describeInventory, inventoryAdditions, takeInventory, type StackInventory,
} from "../diagnostics/stack-inventory.js";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../core/wait/wait-until.js";

/**
 * The run's clean-slate check: what the stack holds before the scenarios, and, after them, that nothing
 * was added (connectors, topics, registry subjects, ksqlDB queries/streams/tables, replication slots,
 * publications, source schemas, sink tables). ksqlDB removes a terminated query's internal topics a
 * moment later, so the check waits a little for the count to reach nothing.
 */
export class LeakCheck {
  private constructor(
    private readonly stack: StackEndpoints,
    private readonly before: StackInventory,
  ) {}

  static async start(stack: StackEndpoints): Promise<LeakCheck> {
    return new LeakCheck(stack, await takeInventory(stack));
  }

  /** Resolves when the stack holds nothing the scenarios added; otherwise rejects listing it. */
  async verify(): Promise<void> {
    await waitUntil(async () => {
      const added = inventoryAdditions(this.before, await takeInventory(this.stack));
      return Object.keys(added).length === 0 ? ready(undefined) : notYet(`left behind:\n${describeInventory(added)}`);
    }, {
      what: "the scenarios to leave the stack as they found it",
      expected: "nothing added since the scenarios started",
      whereToLook: "the cleanup() of the scenario that created what is listed (its namespace id is in every name)",
      timeoutMs: Math.min(timeouts.operationMs, 30_000),
    });
    console.log(`[stack] leak check: the scenarios left nothing behind (${Object.keys(this.before).join(", ")})`);
  }
}
