import { afterAll, beforeAll, inject, it } from "vitest";
import { ordersPipeline } from "../../fixtures/orders/pipeline.js";
import { column, PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

describeWithKsqlDb("orders: revenue per store and 10 minutes", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, ordersPipeline, "revenue"); // its own schema, topics, slot, names
      await run.startSource(); // RUNNING, the slot active
      await run.source.table("orders").insert(
        // given these orders
        { order_id: 1, store: "seoul", ordered_at: new Date("2026-03-02T10:01:00Z"), total: "10.00" },
        { order_id: 2, store: "seoul", ordered_at: new Date("2026-03-02T10:04:00Z"), total: "5.50" },
        { order_id: 3, store: "seoul", ordered_at: new Date("2026-03-02T10:12:00Z"), total: "1.00" },
      );
      await run.deployKsql(); // when your statements run
      await run.startSinks(); // and your sinks
      await run.waitUntilDrained(); // have read everything
    }),
  );
  afterAll(() => run?.cleanup()); // removes all it created

  it("has one row per store and window", async () => {
    // the sink table equals this table; its key (store, window_start) comes from the sink's pk.fields
    await run.expectSinkTable(
      "revenue",
      { store: column.text, window_start: column.integer, orders: column.integer, revenue: column.decimal(2) },
      [
        { store: "seoul", window_start: Date.parse("2026-03-02T10:00:00Z"), orders: 2, revenue: "15.50" },
        { store: "seoul", window_start: Date.parse("2026-03-02T10:10:00Z"), orders: 1, revenue: "1.00" },
      ],
    );
  });

  it("has the schema the sink creates", async () => {
    await run.expectSinkSchema("revenue", {
      store: { type: "text", nullable: false },
      window_start: { type: "bigint", nullable: false },
      orders: "bigint",
      revenue: "numeric",
    });
  });
});
