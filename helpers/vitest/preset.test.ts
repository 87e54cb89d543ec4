import { describe, expect, it } from "vitest";
import { defineE2eConfig, namesProject, reportersFor } from "./preset.js";

type Projects = Array<{ test?: { name?: string; testTimeout?: number; hookTimeout?: number; globalSetup?: string[] } }>;
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
});
