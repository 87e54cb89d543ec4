import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { typesPipeline } from "../../fixtures/types/pipeline.js";
import { allTypesColumns, expectedRows, expectedSchema } from "../../fixtures/types/expected/all-types.js";
import { fullRow, nullRow, type AllTypesRow } from "../../fixtures/types/stories/all-types.js";
import { PipelineRun, SinkSchemaMismatchError } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

const stack = inject("stack");
const sink = stack.images.jdbcSink;

describe(`types: a column of each PostgreSQL type, source to the ${sink} JDBC sink`, () => {
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, typesPipeline, "types");
      await run.startSource();
      // Given one row with every column filled and one with every column NULL
      await run.source.table<AllTypesRow>("all_types").insert(fullRow, nullRow);
      await run.startSinks();
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the sink table has the types this sink gives them", async () => {
    await run.expectSinkSchema("all_types", expectedSchema(sink));
  });

  it("every value arrives as the sink table holds it, NULLs included", async () => {
    await run.expectSinkTable("all_types", allTypesColumns(sink), expectedRows(sink));
  });

  it("a schema expectation the sink does not meet fails at once, naming the column and both types", async () => {
    // The table exists: its shape is compared once, a wrong shape does not get right by waiting.
    const error = await run.expectSinkSchema("all_types", { ...expectedSchema(sink), c_jsonb: "jsonb" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SinkSchemaMismatchError);
    expect((error as Error).message).toMatch(new RegExp(`~ c_jsonb: type jsonb → ${sink === "confluent" ? "text" : "json"}`));
  });
});
