import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { shopPipeline } from "../../fixtures/shop/pipeline.js";
import { bensGoldOrder, bensUpgrade, morningOrders, opening, storyTiers } from "../../fixtures/shop/stories/a-morning.js";
import { expectedRevenueByTier } from "../../fixtures/shop/expected/a-morning.js";
import { revenueByTierColumns } from "../../fixtures/shop/expected/columns.js";
import { PipelineRun, SinkTableMismatchError } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

/** A release candidate makes the revenue windows tumble: 10 minutes, every 10 minutes. */
const tumbleInstead = (sql: string): string => {
  const changed = sql.replace(/ADVANCE BY 5 MINUTES/i, "ADVANCE BY 10 MINUTES");
  if (changed === sql) throw new Error("the query change found no 'ADVANCE BY 5 MINUTES' to change");
  return changed;
};

describeWithKsqlDb(
  "shop query change: windows every 10 minutes instead of 5 fail with the windows that went missing",
  () => {
    const stack = inject("stack");
    let run: PipelineRun;

    beforeAll(
      bundleOnSetupFailure(async () => {
        run = await PipelineRun.create(stack, shopPipeline, "shop-change", { rewriteKsql: tumbleInstead });
        await run.startSource();
        await run.write(opening());
        await run.deployKsql();
        await run.startSinks("revenue_by_tier");
        await run.waitUntilDrained();
        await run.write(morningOrders());
        await run.waitUntilDrained();
        await run.write([...bensUpgrade(), ...bensGoldOrder()]);
        await run.flush();
      }),
    );

    afterAll(async () => {
      await run?.cleanup();
    });

    it("the revenue table no longer matches, and the diff lists the windows that are gone", async () => {
      // Flushed and drained: the table is final, and the expectation says so once it has stopped changing.
      const error = await run
        .expectSinkTable("revenue_by_tier", revenueByTierColumns, expectedRevenueByTier, { where: { column: "tier", in: storyTiers } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(SinkTableMismatchError);
      const message = (error as Error).message;
      expect(message).toContain(run.sinkTable("revenue_by_tier"));
      // The windows starting at 09:55 and 10:05 exist only when windows start every 5 minutes.
      const missing = message.split("\n").filter((line) => /^\s+- tier=/.test(line));
      expect(missing).toHaveLength(4);
      expect(message).toMatch(/- tier="gold", window_start=1772445300000/);
    });
  },
  { queryLane: true },
);
