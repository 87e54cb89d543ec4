import { isTarget, type StackEndpoints } from "../../containers/stack-endpoints.js";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil, WaitTimeoutError } from "../../core/wait/wait-until.js";
import { describeInventory, inventoryAdditions, takeInventory, type StackInventory } from "../diagnostics/stack-inventory.js";
import { DEFAULT_NAMESPACE_PREFIX, ScenarioNamespace } from "../pipeline/namespace.js";
import { removeNamespace } from "../pipeline/run/teardown.js";
import { connectClient, kafkaClient, ksqlClient, postgresPool, registryClient } from "../stack/clients.js";

/** Namespace ids of a run's scenarios (ScenarioNamespace.create's: the prefix and six hex digits) in names. */
function scenarioIds(prefix: string): RegExp {
  return new RegExp(`(?<![a-z0-9])${prefix}[0-9a-f]{6}(?![0-9a-f])`, "gi");
}

/**
 * The run's clean-slate check: what the stack holds before the scenarios, and, after them, that nothing was
 * added (connectors, topics, registry subjects, ksqlDB queries/streams/tables, replication slots, publications,
 * source schemas, sink tables). ksqlDB removes a terminated query's internal topics a moment later, so the check
 * waits a little for the count to reach nothing. What a scenario did leave is removed with the same teardown
 * its cleanup() uses, so that a reused stack is clean for the next run, and the check fails naming it.
 */
export class LeakCheck {
  private constructor(
    private readonly stack: StackEndpoints,
    private readonly before: StackInventory,
  ) {}

  /**
   * On the harness's own stack, everything added counts. On an existing deployment (E2E_TARGET) others add and
   * remove things all the time: only names of the run's namespaces count there.
   */
  static async start(stack: StackEndpoints): Promise<LeakCheck> {
    return new LeakCheck(stack, await LeakCheck.inventory(stack));
  }

  private static async inventory(stack: StackEndpoints): Promise<StackInventory> {
    const all = await takeInventory(stack);
    if (!isTarget(stack)) return all;
    const ids = scenarioIds(stack.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX);
    const ours = (name: string): boolean => name.match(ids) !== null;
    return Object.fromEntries(
      Object.entries(all).map(([kind, names]: [string, readonly string[]]) => [kind, names.filter(ours)]),
    ) as unknown as StackInventory;
  }

  /** Resolves when the stack holds nothing the scenarios added; otherwise removes it and rejects listing it. */
  async verify(): Promise<void> {
    try {
      await waitUntil(
        async () => {
          const added = inventoryAdditions(this.before, await LeakCheck.inventory(this.stack));
          return Object.keys(added).length === 0 ? ready(undefined) : notYet(`left behind:\n${describeInventory(added)}`);
        },
        {
          what: "the scenarios to leave the stack as they found it",
          expected: "nothing added since the scenarios started",
          whereToLook: "the cleanup() of the scenario that created what is listed (its namespace id is in every name)",
          timeoutMs: Math.min(timeouts.operationMs, 30_000),
        },
      );
    } catch (error) {
      if (error instanceof WaitTimeoutError) await this.removeLeftovers();
      throw error;
    }
    console.log(`[stack] leak check: the scenarios left nothing behind (${Object.keys(this.before).join(", ")})`);
  }

  private async removeLeftovers(): Promise<void> {
    const added = inventoryAdditions(this.before, await LeakCheck.inventory(this.stack));
    const pattern = scenarioIds(this.stack.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX);
    const ids = new Set(
      Object.values(added)
        .flat()
        .flatMap((name) => [...name.matchAll(pattern)].map((m) => m[0].toLowerCase())),
    );
    const sourcePool = postgresPool(this.stack, "source");
    const sinkPool = postgresPool(this.stack, "sink");
    try {
      for (const id of ids) {
        const problems = await removeNamespace({
          namespace: ScenarioNamespace.create("leak-check", id),
          sourcePool,
          sinkPool,
          connect: connectClient(this.stack),
          kafka: kafkaClient(this.stack, `leak-check-${id}`),
          ksql: ksqlClient(this.stack),
          registry: registryClient(this.stack),
        });
        console.log(
          `[stack] leak check: removed what scenario ${id} left${problems.length > 0 ? `, but not: ${problems.join("; ")}` : ""}`,
        );
      }
    } finally {
      await Promise.allSettled([sourcePool.end(), sinkPool.end()]);
    }
  }
}
