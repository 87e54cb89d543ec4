/**
 * kafkajs 2.2.4, its last release, arms its request queue's check with setTimeout(-1 - Date.now()) while nothing
 * is pending. Node 24 runs such a timer after 1 ms, which is what kafkajs meant, but prints a
 * TimeoutNegativeWarning for it on every connection. The harness drops exactly that warning when kafkajs' request
 * queue raises it; every other warning (anyone else's negative timeout included) is emitted as before.
 */
let installed = false;

export function quietKafkajsNegativeTimeouts(): void {
  if (installed) return;
  installed = true;
  const emit = process.emitWarning.bind(process) as (warning: string | Error, ...rest: unknown[]) => void;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    if (warningType(warning, rest[0]) === "TimeoutNegativeWarning" && raisedByKafkajsRequestQueue()) return;
    emit(warning, ...rest);
  };
  process.emitWarning = filtered;
}

function warningType(warning: string | Error, typeOrOptions: unknown): string | undefined {
  if (warning instanceof Error) return warning.name;
  if (typeof typeOrOptions === "string") return typeOrOptions;
  const type = (typeOrOptions as { type?: unknown } | undefined)?.type;
  return typeof type === "string" ? type : undefined;
}

function raisedByKafkajsRequestQueue(): boolean {
  return /kafkajs[\\/]src[\\/]network[\\/]requestQueue/.test(new Error().stack ?? "");
}
