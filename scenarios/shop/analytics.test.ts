import { afterAll, beforeAll, inject, it } from "vitest";
import { shopPipeline } from "../../fixtures/shop/pipeline.js";
import { bensGoldOrder, bensUpgrade, morningOrders, opening, storyCustomers, storyTiers } from "../../fixtures/shop/stories/a-morning.js";
import { expectedCustomers, expectedOrdersWithTier, expectedRevenueByTier } from "../../fixtures/shop/expected/a-morning.js";
import { customersColumns, ordersWithTierColumns, revenueByTierColumns, shopSchemas } from "../../fixtures/shop/expected/columns.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb, itOnStack } from "ksql-pipeline-e2e/vitest";

describeWithKsqlDb(
  "shop: orders enriched with their customer's tier (stream-table join), revenue per tier (HOPPING window)",
  () => {
    const stack = inject("stack");
    let run: PipelineRun;

    beforeAll(
      bundleOnSetupFailure(async () => {
        run = await PipelineRun.create(stack, shopPipeline, "shop");
        await run.startSource();
        // Given three customers, known to the tier table before anyone orders
        await run.write(opening());
        await run.deployKsql();
        await run.startSinks();
        await run.waitUntilDrained();
        // When they order through the morning, and Ben is upgraded to gold before his last order
        await run.write(morningOrders());
        await run.waitUntilDrained();
        await run.write(bensUpgrade());
        await run.waitUntilDrained();
        await run.write(bensGoldOrder());
        await run.flush();
      }),
    );

    afterAll(async () => {
      await run?.cleanup();
    });

    it("revenue_by_tier has each order in both windows that contain it, Ben's early order as silver", async () => {
      await run.expectSinkTable("revenue_by_tier", revenueByTierColumns, expectedRevenueByTier, {
        where: { column: "tier", in: storyTiers },
      });
    });

    it("orders_with_tier has every order with the tier its customer had when it was processed", async () => {
      await run.expectSinkTable("orders_with_tier", ordersWithTierColumns, expectedOrdersWithTier, {
        where: { column: "customer_id", in: storyCustomers },
      });
    });

    // A copy of the Debezium topic: the connectors' behaviour, which only the stack has.
    itOnStack("customers are copied with their uuid, array, json and date columns", async () => {
      await run.expectSinkTable("customers", customersColumns, expectedCustomers);
    });

    itOnStack("the sink tables have the schema this sink creates", async () => {
      const schemas = shopSchemas(stack.images.jdbcSink);
      await run.expectSinkSchema("revenue_by_tier", schemas.revenue_by_tier);
      await run.expectSinkSchema("customers", schemas.customers);
    });
  },
  { queryLane: true },
);
