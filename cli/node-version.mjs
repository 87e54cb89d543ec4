// Which Node.js the harness runs on. Plain JavaScript of the oldest syntax still in use, so that an old Node
// reads it and says what to do instead of crashing later (vitest 5 on Node 20: "Map.groupBy is not a function").

/** testcontainers 12 and vitest 5 need it. */
export const MINIMUM_NODE = "22.22.0";

/** Why this Node.js cannot run the harness, with how to get one that can; undefined when it can. */
export function nodeVersionProblem(version) {
  if (compareVersions(version, MINIMUM_NODE) >= 0) return undefined;
  return (
    "ksql-pipeline-e2e needs Node.js " +
    MINIMUM_NODE +
    " or newer (testcontainers 12 and vitest 5 need it); this is Node.js " +
    version +
    ".\n  fix: install Node.js 22 or 24 (nvm install 24, fnm install 24, volta install node@24, or your package manager; " +
    "in GitHub Actions: actions/setup-node with node-version: 24), then run the command again."
  );
}

/** Ends the process at once, with the fix, on a Node.js the harness cannot run on. */
export function requireSupportedNode() {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem === undefined) return;
  console.error(problem);
  process.exit(1);
}

function compareVersions(a, b) {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const difference = (left[i] || 0) - (right[i] || 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
