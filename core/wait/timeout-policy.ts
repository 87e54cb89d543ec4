/**
 * One timeout policy for every wait in the harness, in the spirit of Debezium's
 * `debezium.test.records.waittime`: a single base unit scales all deadlines.
 *
 * E2E_WAIT_UNIT_MS (default 2000) is the unit; slow machines raise it, nothing else.
 */
export interface TimeoutPolicy {
  /** A container becoming ready (JVM start, REST answering). */
  readonly containerStartupMs: number;
  /** A connector or ksqlDB command reaching its target state. */
  readonly operationMs: number;
  /** Data travelling through the pipeline until a sink or topic matches. */
  readonly dataMs: number;
  /** Pause between two polls. */
  readonly pollIntervalMs: number;
  /** A scenario's test or setup as a whole (vitest's testTimeout and hookTimeout). */
  readonly scenarioMs: number;
  /** The setup of a fault scenario: traffic before, during and after a service is killed or restarted. */
  readonly faultSetupMs: number;
}

const DEFAULT_UNIT_MS = 2_000;

export function timeoutPolicyFrom(env: NodeJS.ProcessEnv = process.env): TimeoutPolicy {
  const raw = env.E2E_WAIT_UNIT_MS;
  const unit = raw === undefined || raw === "" ? DEFAULT_UNIT_MS : Number(raw);
  if (!Number.isFinite(unit) || unit <= 0) {
    throw new Error(`E2E_WAIT_UNIT_MS must be a positive number of milliseconds, got '${raw}'`);
  }
  return {
    containerStartupMs: unit * 90,
    operationMs: unit * 30,
    dataMs: unit * 45,
    pollIntervalMs: Math.max(100, Math.round(unit / 8)),
    scenarioMs: unit * 150,
    faultSetupMs: unit * 300,
  };
}

export const timeouts: TimeoutPolicy = timeoutPolicyFrom();
