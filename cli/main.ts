/**
 * ksql-e2e: a pipeline stack that outlives the command, for a fast local loop.
 * Commands load their modules lazily, after the environment below is settled: testcontainers
 * reads it when first used.
 */
import { redactSecrets } from "../core/secrets.js";
import { failOnUnsettledExit } from "../helpers/stack/unsettled-exit.js";
import { keepContainersAfterExit } from "./keep-containers.js";
import { USAGE } from "./usage.js";

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  up: async () => (await import("./commands/up.js")).up,
  status: async () => (await import("./commands/status.js")).status,
  apply: async () => (await import("./commands/apply.js")).apply,
  seed: async () => (await import("./commands/seed.js")).seed,
  remove: async () => (await import("./commands/remove.js")).remove,
  topic: async () => (await import("./commands/topic.js")).topic,
  table: async () => (await import("./commands/table.js")).table,
  down: async () => (await import("./commands/down.js")).down,
  doctor: async () => (await import("./commands/doctor.js")).doctor,
  init: async () => (await import("./commands/init.js")).init,
  record: async () => (await import("./commands/record.js")).record,
  check: async () => (await import("./commands/check.js")).check,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`ksql-e2e: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  // These start nothing of their own (record's vitest run keeps the user's Ryuk setting); doctor checks that
  // setting as the user made it.
  if (!["doctor", "init", "record", "check"].includes(name)) keepContainersAfterExit();
  return (await load())(args);
}

let settled = false;
failOnUnsettledExit("ksql-e2e", () => settled);
main(process.argv.slice(2))
  .finally(() => {
    settled = true;
  })
  .then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(redactSecrets(`ksql-e2e: ${error instanceof Error ? error.message : String(error)}`));
      process.exit(1);
    },
  );
