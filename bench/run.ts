/**
 * Insert→sink benchmark of the CDC path (PostgreSQL → Debezium → Kafka → JDBC sink → PostgreSQL).
 * Prints JSON: latency percentiles for 1,000 single-row inserts and throughput for 10,000 rows.
 * Uses a running stack (E2E_STACK_FILE, see README) or starts one and stops it afterwards.
 */
import { readStackState } from "../cli/stack-state.js";
import { PipelineStack } from "../containers/pipeline-stack.js";
import type { StackEndpoints } from "../containers/stack-endpoints.js";
import { BankEvents } from "../fixtures/bank/events/bank-events.js";
import { bankPipeline } from "../fixtures/bank/pipeline.js";
import { PipelineRun } from "../helpers/pipeline/pipeline-run.js";
import { notYet, ready, waitUntil } from "../helpers/wait/wait-until.js";

const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 1_000);
const THROUGHPUT_EVENTS = Number(process.env.BENCH_THROUGHPUT_EVENTS ?? 10_000);
const POLL_MS = 20;
/** Inserts per second during the latency run: paced, so it measures latency rather than queueing. */
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 100);
const BENCH_TIMEOUT_MS = 15 * 60_000;

async function main(): Promise<void> {
  const reused = process.env.E2E_STACK_FILE;
  const started = reused ? undefined : await new PipelineStack().withKsqlDb("off").start();
  const stack: StackEndpoints | undefined = started ? started.endpoints() : (await readStackState(reused as string))?.endpoints;
  if (!stack) throw new Error(`E2E_STACK_FILE=${reused}: no stack state there (start one with \`npm run e2e -- up\`)`);
  try {
    const latency = await measureLatency(stack);
    const throughput = await measureThroughput(stack);
    console.log(JSON.stringify({ machine: { cores: (await import("node:os")).cpus().length }, latency, throughput }, null, 2));
  } finally {
    await started?.stop();
  }
}

async function withSinkedTransactions<T>(stack: StackEndpoints, label: string, run: (p: PipelineRun, table: string) => Promise<T>): Promise<T> {
  const pipeline = await PipelineRun.create(stack, bankPipeline, label);
  try {
    await pipeline.write(new BankEvents().openAccount("bench", { holder: "Bench" }).writes);
    await pipeline.startSource();
    await pipeline.startSinks("bank_transaction");
    const table = pipeline.sinkTable("bank_transaction");
    return await run(pipeline, table);
  } finally {
    await pipeline.cleanup();
  }
}

/** Each insert is timed; a poller records when each id first appears in the sink (±POLL_MS). */
async function measureLatency(stack: StackEndpoints) {
  return withSinkedTransactions(stack, "bench-latency", async (pipeline, table) => {
    const insertedAt = new Map<number, number>();
    const seenAt = new Map<number, number>();
    let polling = true;
    let tableExists = false;
    const poller = (async () => {
      while (polling) {
        if (!tableExists) {
          const { rows } = await pipeline.sinkPool.query("SELECT 1 FROM information_schema.tables WHERE table_name = $1", [table]);
          tableExists = rows.length > 0;
        }
        if (tableExists) {
          const { rows } = await pipeline.sinkPool.query<{ id: number }>(`SELECT id FROM "${table}" WHERE id >= $1`, [seenAt.size]);
          const now = Date.now();
          for (const { id } of rows) if (!seenAt.has(id)) seenAt.set(id, now);
        }
        await new Promise((r) => setTimeout(r, POLL_MS)); // poll interval of the sampler, not synchronisation
      }
    })();
    const base = Date.parse("2026-01-01T00:00:00Z");
    const insert = (id: number) => pipeline.write([{
      table: "bank_transaction", op: "insert",
      row: { id, date: new Date(base + id * 1000), account_id: "bench", amount: 1, type: "deposit" },
    }]);
    // Warm-up: the first record registers schemas and makes the sink create its table; not measured.
    await insert(0);
    await waitUntil(async () => (seenAt.has(0) ? ready(undefined) : notYet("warm-up row not in the sink")), {
      what: "the warm-up row in the sink", expected: "id 0", whereToLook: "connector status", timeoutMs: BENCH_TIMEOUT_MS,
    });
    const insertStart = Date.now();
    for (let id = 1; id <= LATENCY_EVENTS; id++) {
      const due = insertStart + ((id - 1) * 1000) / LATENCY_RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now())); // pacing the load, not synchronisation
      insertedAt.set(id, Date.now());
      await insert(id);
    }
    const insertSeconds = (Date.now() - insertStart) / 1000;
    await waitUntil(async () => (seenAt.size >= LATENCY_EVENTS + 1 ? ready(undefined) : notYet(`${seenAt.size - 1} of ${LATENCY_EVENTS} in the sink`)), {
      what: "all latency rows in the sink", expected: `${LATENCY_EVENTS} rows`, whereToLook: "connector status (GET /connectors/<name>/status)", timeoutMs: BENCH_TIMEOUT_MS,
    });
    polling = false;
    await poller;
    const latencies = [...insertedAt].map(([id, t]) => (seenAt.get(id) ?? Number.NaN) - t).sort((a, b) => a - b);
    return {
      events: LATENCY_EVENTS,
      insertRatePerSecond: Math.round(LATENCY_EVENTS / insertSeconds),
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: latencies.at(-1),
      samplingResolutionMs: POLL_MS,
    };
  });
}

/** 10,000 rows inserted in batches of 500; time until the sink holds all of them. */
async function measureThroughput(stack: StackEndpoints) {
  return withSinkedTransactions(stack, "bench-throughput", async (pipeline, table) => {
    const schema = pipeline.namespace.sourceSchema;
    const start = Date.now();
    for (let first = 1; first <= THROUGHPUT_EVENTS; first += 500) {
      const last = Math.min(THROUGHPUT_EVENTS, first + 499);
      await pipeline.sourcePool.query(
        `INSERT INTO "${schema}".bank_transaction (id, date, account_id, amount, type)
         SELECT g, timestamp '2026-01-01' + g * interval '1 second', 'bench', 1, 'deposit' FROM generate_series($1::int, $2::int) g`,
        [first, last]);
    }
    const insertedMs = Date.now() - start;
    await waitUntil(async () => {
      const exists = await pipeline.sinkPool.query("SELECT 1 FROM information_schema.tables WHERE table_name = $1", [table]);
      if (exists.rows.length === 0) return notYet("sink table not created yet");
      const { rows } = await pipeline.sinkPool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      const n = Number(rows[0]?.n ?? 0);
      return n >= THROUGHPUT_EVENTS ? ready(undefined) : notYet(`${n} of ${THROUGHPUT_EVENTS}`);
    }, { what: "all throughput rows in the sink", expected: `${THROUGHPUT_EVENTS} rows`, whereToLook: "connector status", timeoutMs: BENCH_TIMEOUT_MS, pollIntervalMs: POLL_MS });
    const totalMs = Date.now() - start;
    return {
      events: THROUGHPUT_EVENTS,
      sourceInsertMs: insertedMs,
      endToEndMs: totalMs,
      eventsPerSecond: Math.round(THROUGHPUT_EVENTS / (totalMs / 1000)),
    };
  });
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
