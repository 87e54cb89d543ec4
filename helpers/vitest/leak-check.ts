import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil, WaitTimeoutError } from "../../core/wait/wait-until.js";
import { describeInventory, inventoryAdditions, takeInventory, type StackInventory } from "../diagnostics/stack-inventory.js";
import { KsqlClient } from "../ksql/ksql-client.js";
import { ScenarioNamespace } from "../pipeline/namespace.js";
import { removeNamespace } from "../pipeline/run/teardown.js";
import { SchemaRegistryClient } from "../registry/schema-registry-client.js";
import { connectClient, kafkaClient, postgresPool } from "../stack/clients.js";

/** Namespace ids of scenarios (ScenarioNamespace.create's random ids) found in leftover names. */
const SCENARIO_ID = /\bs[0-9a-f]{6}\b/gi;

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

  static async start(stack: StackEndpoints): Promise<LeakCheck> {
    return new LeakCheck(stack, await takeInventory(stack));
  }

  /** Resolves when the stack holds nothing the scenarios added; otherwise removes it and rejects listing it. */
  async verify(): Promise<void> {
    try {
      await waitUntil(
        async () => {
          const added = inventoryAdditions(this.before, await takeInventory(this.stack));
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
    const added = inventoryAdditions(this.before, await takeInventory(this.stack));
    const ids = new Set(
      Object.values(added)
        .flat()
        .flatMap((name) => [...name.matchAll(SCENARIO_ID)].map((m) => m[0].toLowerCase())),
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
          ksql: this.stack.ksqldb.available ? new KsqlClient(this.stack.ksqldb.urlFromHost) : undefined,
          registry: new SchemaRegistryClient(this.stack.schemaRegistry.urlFromHost),
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
