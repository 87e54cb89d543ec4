// The house's floors: each may import only the floors below it, and nothing imports in a circle.
//   core/ (waits, errors, secrets, SQL lexing) <- containers/ <- helpers/ <- fixtures/ <- scenarios/
//   cli/ and bench/ sit on helpers/; the bench also runs the pipelines of fixtures/ as its workloads.
const below = {
  core: [],
  containers: ["core"],
  helpers: ["core", "containers"],
  fixtures: ["core", "containers", "helpers"],
  scenarios: ["core", "containers", "helpers", "fixtures"],
  cli: ["core", "containers", "helpers"],
  bench: ["core", "containers", "helpers", "fixtures"],
  scripts: ["core", "containers", "helpers"],
  standins: [],
};

const floors = Object.keys(below);

export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes two modules one; move what both need into a third.",
      from: {},
      to: { circular: true },
    },
    ...floors.map((floor) => ({
      name: `${floor}-imports-only-below`,
      severity: "error",
      comment: `${floor}/ may import only ${below[floor].length === 0 ? "nothing of the project" : below[floor].map((f) => `${f}/`).join(", ")} (and itself).`,
      from: { path: `^${floor}/` },
      to: { path: `^(${floors.filter((f) => f !== floor && !below[floor].includes(f)).join("|")})/` },
    })),
    {
      name: "pipelines-use-the-package",
      severity: "error",
      comment:
        "fixtures/ and scenarios/ use the harness as a team does: through the package's entry points " +
        "(ksql-pipeline-e2e, /stack, /faults, /semantics, /vitest), never a module behind them.",
      from: { path: "^(fixtures|scenarios)/" },
      to: { path: "^(core|containers|helpers)/", dependencyTypesNot: ["aliased-tsconfig-paths"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.tools|dist|reports|failure-bundles)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
