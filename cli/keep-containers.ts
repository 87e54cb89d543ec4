let ryukSettingBefore: string | undefined;

/**
 * With Ryuk (testcontainers' reaper, on by default with Docker) the containers would be removed
 * as soon as `up` exits; `ksql-e2e down` removes them instead. Must run before testcontainers
 * is first used.
 */
export function keepContainersAfterExit(): void {
  const configured = process.env.TESTCONTAINERS_RYUK_DISABLED;
  if (configured === "true") return;
  ryukSettingBefore = configured ?? "unset";
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
}

/** A line for `up` when this command had to switch Ryuk off. */
export function ryukNote(): string | undefined {
  if (ryukSettingBefore === undefined) return undefined;
  return (
    `note: TESTCONTAINERS_RYUK_DISABLED was ${ryukSettingBefore}; ksql-e2e sets it to true for itself so that the ` +
    "stack outlives this command. Test runs that start their own stack keep your setting."
  );
}
