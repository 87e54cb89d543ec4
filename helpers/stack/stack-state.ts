import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { registerStackSecrets } from "./stack-secrets.js";

/** What `up` leaves behind for `status`, `apply`, `seed`, `down` and test runs that reuse the stack. */
export interface StackState {
  readonly version: 1;
  /** PipelineStack.id: the value of STACK_LABEL on every container of the stack. */
  readonly stackId: string;
  /** testcontainers' session id of the `up` process (label org.testcontainers.session-id). */
  readonly sessionId: string | undefined;
  readonly createdAt: string;
  /** How long `up` took to start the stack: what a test run that reuses it saves. */
  readonly startupMs: number;
  /** Anonymous volumes of the containers (PostgreSQL's data directory). */
  readonly volumes: readonly string[];
  readonly endpoints: StackEndpoints;
}

export const STATE_FILE_VARIABLE = "E2E_STACK_FILE";
/** `.e2e/stack.json` in the directory the command runs in: the pipeline repository's, not the package's. */
export function defaultStateFile(cwd = process.cwd()): string {
  return resolve(cwd, ".e2e", "stack.json");
}

export interface StateFileLocation {
  readonly path: string;
  /** True when E2E_STACK_FILE names it: then a missing or dead stack is an error, not a reason to start one. */
  readonly explicit: boolean;
}

export function stateFileLocation(env: NodeJS.ProcessEnv = process.env): StateFileLocation {
  const configured = env[STATE_FILE_VARIABLE]?.trim();
  return configured ? { path: resolve(configured), explicit: true } : { path: defaultStateFile(), explicit: false };
}

/** The state in the file, or undefined when there is no file. A file that is not a state is an error naming it. */
export async function readStackState(path: string): Promise<StackState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`stack state file ${path} could not be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`stack state file ${path} is not JSON (${(error as Error).message}); remove it or run 'ksql-e2e down'`);
  }
  const problem = stateProblem(parsed);
  if (problem) throw new Error(`stack state file ${path} is not a ksql-e2e stack state: ${problem}`);
  const state = parsed as StackState;
  registerStackSecrets(state.endpoints);
  return state;
}

export async function writeStackState(path: string, state: StackState): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  if (path === defaultStateFile()) {
    // The directory keeps itself out of git; the repository's .gitignore is not ours to change.
    await writeFile(resolve(dir, ".gitignore"), "*\n");
  }
  // It holds the stack's database password: readable by its owner only.
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  const pg = state.endpoints.postgres.fromHost;
  await writeFile(pgpassFileOf(path), `${pg.host}:${pg.port}:*:${pg.user}:${pg.password}\n`, { mode: 0o600 });
  await chmod(pgpassFileOf(path), 0o600);
}

export async function deleteStackState(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(pgpassFileOf(path), { force: true });
}

/**
 * psql's password file for the stack (PGPASSFILE=…), next to the state file: psql, pg_dump and
 * every libpq client connect without the password on a command line or in a terminal's history.
 */
export function pgpassFileOf(stateFile: string): string {
  return stateFile.replace(/(\.json)?$/, ".pgpass");
}

function stateProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const v = value as Record<string, unknown>;
  if (v.version !== 1) return `unknown version ${JSON.stringify(v.version)}`;
  if (typeof v.stackId !== "string") return 'no string "stackId"';
  if (typeof v.startupMs !== "number") return 'no number "startupMs"';
  if (!Array.isArray(v.volumes)) return 'no array "volumes"';
  const endpoints = v.endpoints as Record<string, unknown> | undefined;
  if (typeof endpoints !== "object" || endpoints === null) return 'no object "endpoints"';
  for (const key of ["containerIds", "postgres", "kafka", "schemaRegistry", "connect", "ksqldb"]) {
    if (typeof endpoints[key] !== "object" || endpoints[key] === null) return `endpoints has no "${key}"`;
  }
  if (typeof endpoints.network !== "string") return 'endpoints has no "network"';
  return undefined;
}
