import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineE2eConfig, filesDeclaringQueryLane, namesProject, reportersFor } from "./preset.js";

type Projects = Array<{
  test?: { name?: string; include?: string[]; exclude?: string[]; testTimeout?: number; hookTimeout?: number; globalSetup?: string[] };
}>;
const projectsOf = (config: ReturnType<typeof defineE2eConfig>): Projects => (config.test?.projects ?? []) as Projects;

describe("the vitest preset", () => {
  it("keeps faults out of a plain run and adds them when --project faults names them", () => {
    expect(projectsOf(defineE2eConfig({}, {}, ["node", "vitest", "run"])).map((p) => p.test?.name)).toEqual(["scenarios"]);
    expect(projectsOf(defineE2eConfig({}, {}, ["node", "vitest", "run", "--project", "faults"])).map((p) => p.test?.name)).toEqual([
      "scenarios",
      "faults",
    ]);
    expect(namesProject(["--project=faults"], "faults")).toBe(true);
  });

  it("leaves the scenario files a repository excludes out of the scenarios project, beside the faults", () => {
    const [scenarios] = projectsOf(defineE2eConfig({ excludeScenarios: ["scenarios/stack/target.test.ts"] }, {}, []));
    expect(scenarios?.test?.exclude).toEqual(["scenarios/**/faults/**/*.test.ts", "scenarios/stack/target.test.ts", "**/node_modules/**"]);
  });

  it("scales the scenarios' timeouts with E2E_WAIT_UNIT_MS", () => {
    const [scenarios] = projectsOf(defineE2eConfig({}, { E2E_WAIT_UNIT_MS: "4000" }, []));
    expect(scenarios?.test?.testTimeout).toBe(600_000);
    expect(scenarios?.test?.hookTimeout).toBe(600_000);
    expect(scenarios?.test?.globalSetup?.[0]).toMatch(/global-setup\.(ts|js)$/);
  });

  it("writes JUnit under CI and keeps vitest's GitHub Actions annotations", () => {
    expect(reportersFor({})).toEqual(["default"]);
    expect(reportersFor({ CI: "true", GITHUB_ACTIONS: "true" })).toEqual(["default", "github-actions", "junit"]);
  });

  it("adds the queries lane only when --project queries names it, with the scenario files that opted in", () => {
    const repo = mkdtempSync(join(tmpdir(), "preset-"));
    try {
      mkdirSync(join(repo, "scenarios", "faults"), { recursive: true });
      writeFileSync(join(repo, "scenarios", "lane.test.ts"), 'describeWithKsqlDb("a", () => {}, { queryLane: true });');
      writeFileSync(join(repo, "scenarios", "stack.test.ts"), 'describeWithKsqlDb("b", () => {});');
      writeFileSync(join(repo, "scenarios", "faults", "lane.test.ts"), "{ queryLane: true }");
      expect(filesDeclaringQueryLane(["scenarios/**/*.test.ts"], ["scenarios/**/faults/**/*.test.ts"], repo)).toEqual([
        "scenarios/lane.test.ts",
      ]);
      expect(filesDeclaringQueryLane(["scenarios/stack.test.ts"], [], repo)).toEqual(["(no scenario declares queryLane: true)"]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
    const projects = projectsOf(defineE2eConfig({}, {}, ["node", "vitest", "run", "--project", "queries"]));
    const lane = projects.find((p) => p.test?.name === "queries");
    expect(lane?.test?.globalSetup?.[0]).toMatch(/query-lane-setup\.(ts|js)$/);
    expect(lane?.test?.include).toContain("scenarios/bank/analytics.test.ts");
    expect(projectsOf(defineE2eConfig({}, {}, [])).map((p) => p.test?.name)).not.toContain("queries");
  });
});
