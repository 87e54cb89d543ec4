import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { windowsPipeline } from "../../fixtures/windows/pipeline.js";
import { STORY_SENSORS, tenMinutesOfReadings, type ReadingRow } from "../../fixtures/windows/stories/ten-minutes.js";
import { expectedReadingsPerMinute, expectedReadingsPerTwoMinutes, expectedSessions } from "../../fixtures/windows/expected/ten-minutes.js";
import { windowColumns } from "../../fixtures/windows/expected/columns.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

describeWithKsqlDb("windows: each kind emits its final rows (EMIT FINAL) once stream time has passed it", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, windowsPipeline, "windows");
      await run.startSource();
      // Given ten minutes of two sensors' readings, inserted as the README's example does (the typed table)
      await run.source.table<ReadingRow>("readings").insert(...tenMinutesOfReadings().map((write) => write.row as ReadingRow));
      // When they are counted in each kind of window, and stream time moves past every window
      await run.deployKsql();
      await run.startSinks();
      await run.flush();
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  // The flush sensor's windows are in the tables too; the story is about its own sensors.
  const story = { where: { column: "sensor", in: STORY_SENSORS } } as const;

  it("TUMBLING: every minute with a reading, once", async () => {
    await run.expectSinkTable("readings_per_minute", windowColumns, expectedReadingsPerMinute, story);
  });

  it("HOPPING: every window, each reading in the two that contain it", async () => {
    await run.expectSinkTable("readings_per_two_minutes", windowColumns, expectedReadingsPerTwoMinutes, story);
  });

  it("SESSION: every session, the single-reading one included", async () => {
    await run.expectSinkTable("sessions", windowColumns, expectedSessions, story);
  });

  it("the same windows without RETENTION are named with their file and line when the pipeline loads", async () => {
    expect(run.pipeline.warnings).toEqual([]);
    const withoutRetention = await PipelineRun.attach(stack, windowsPipeline, "no-retention", {
      rewriteKsql: (text) => text.replaceAll("RETENTION 1 DAY, ", ""),
    });
    try {
      expect(withoutRetention.pipeline.warnings).toEqual(
        ["TUMBLING", "HOPPING", "SESSION"].map((kind) =>
          expect.stringMatching(
            new RegExp(`^fixtures/windows/sql/windows\\.sql:\\d+: EMIT FINAL on a ${kind} window whose retention \\(none given`),
          ),
        ),
      );
    } finally {
      await withoutRetention.close();
    }
  });
});
