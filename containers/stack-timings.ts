/** How long the stack took, and how close that is to the longest chain of starts that must wait for each other. */
export interface StackTimings {
  /** Image checks, before any container starts. */
  readonly preflightMs: number;
  /** From start() to the last service ready. */
  readonly totalMs: number;
  /** From the first service starting to the last ready. */
  readonly servicesMs: number;
  /** Each service's own start: from its start to its readiness. */
  readonly services: Readonly<Record<string, number>>;
  /**
   * The longest chain of the services' own start times that must run one after another: PostgreSQL;
   * Kafka then the slowest of Schema Registry, ksqlDB and Connect (which also waits for its image).
   */
  readonly criticalPathMs: number;
  /** servicesMs / criticalPathMs: 1.0 means nothing waited that did not have to. */
  readonly ratio: number;
}

/** When one service's start began and when it was ready, in ms since the stack's start. */
export interface ServiceSpan {
  readonly startMs: number;
  readyMs?: number;
}

export function stackTimings(spans: ReadonlyMap<string, ServiceSpan>, preflightMs: number, totalMs: number): StackTimings {
  const own = (service: string): number => {
    const span = spans.get(service);
    return span?.readyMs === undefined ? 0 : span.readyMs - span.startMs;
  };
  const afterKafka = Math.max(
    own("schema-registry"),
    own("ksqldb"),
    Math.max(0, own("connect image build") - own("kafka")) + own("connect"),
  );
  const criticalPathMs = Math.max(own("postgres"), own("kafka") + afterKafka);
  const starts = [...spans.values()].map((s) => s.startMs);
  const readies = [...spans.values()].map((s) => s.readyMs ?? 0);
  const servicesMs = Math.max(...readies) - Math.min(...starts);
  return {
    preflightMs,
    totalMs,
    servicesMs,
    services: Object.fromEntries([...spans.keys()].map((service) => [service, own(service)])),
    criticalPathMs,
    ratio: criticalPathMs > 0 ? Math.round((servicesMs / criticalPathMs) * 100) / 100 : 1,
  };
}

export function describeTimings(t: StackTimings): string {
  const services = Object.entries(t.services)
    .map(([service, ms]) => `${service} ${(ms / 1000).toFixed(1)} s`)
    .join(", ");
  return (
    `ready in ${(t.totalMs / 1000).toFixed(1)} s (image checks ${(t.preflightMs / 1000).toFixed(1)} s, services ` +
    `${(t.servicesMs / 1000).toFixed(1)} s); critical path ${(t.criticalPathMs / 1000).toFixed(1)} s, ratio ${t.ratio.toFixed(2)}; ` +
    `each service's own start: ${services}`
  );
}
