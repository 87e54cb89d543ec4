import axios from "axios";
import pg from "pg";
import { databaseOf } from "../../containers/postgres-container.js";
import type { BasicAuth, StackEndpoints, StackService } from "../../containers/stack-endpoints.js";
import { describeError } from "../../core/errors.js";
import { kafkaClient } from "../stack/clients.js";
import { withTimeLimit } from "./time-limit.js";

/** One service's answer: "absent" is ksqlDB not being part of the stack, which is no failure. */
export interface ServiceProbe {
  readonly service: StackService;
  readonly address: string;
  readonly state: "answers" | "silent" | "absent";
  readonly detail: string;
  readonly elapsedMs: number;
}

export interface ProbeOptions {
  /** Per service; a probe is a single attempt, not a wait. */
  readonly timeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** Asks every service of the stack one question at once, in parallel: does it answer right now? */
export async function probeStack(stack: StackEndpoints, options: ProbeOptions = {}): Promise<ServiceProbe[]> {
  const services: StackService[] = ["postgres", "kafka", "schemaRegistry", "connect", "ksqldb"];
  return Promise.all(services.map((service) => probeService(stack, service, options)));
}

/** One service's answer to one question (a single attempt, not a wait). */
export async function probeService(stack: StackEndpoints, service: StackService, options: ProbeOptions = {}): Promise<ServiceProbe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  switch (service) {
    case "postgres":
      return probe(service, `${stack.postgres.fromHost.host}:${stack.postgres.fromHost.port}`, timeoutMs, () =>
        askPostgres(stack, timeoutMs),
      );
    case "kafka":
      return probe(service, stack.kafka.bootstrapServersFromHost, timeoutMs, () => askKafka(stack, timeoutMs));
    case "schemaRegistry":
      return probe(service, stack.schemaRegistry.urlFromHost, timeoutMs, async () => {
        const subjects = await getJson(`${stack.schemaRegistry.urlFromHost}/subjects`, timeoutMs, stack.schemaRegistry.auth);
        return `GET /subjects: ${Array.isArray(subjects) ? subjects.length : "?"} subject(s)`;
      });
    case "connect":
      return probe(service, stack.connect.urlFromHost, timeoutMs, async () => {
        const connectors = await getJson(`${stack.connect.urlFromHost}/connectors`, timeoutMs, stack.connect.auth);
        return `GET /connectors: ${Array.isArray(connectors) ? connectors.length : "?"} connector(s)`;
      });
    case "ksqldb": {
      const ksqldb = stack.ksqldb;
      if (!ksqldb.available) return { service, address: "-", state: "absent", detail: ksqldb.reason, elapsedMs: 0 };
      return probe(service, ksqldb.urlFromHost, timeoutMs, async () => {
        const info = (await getJson(`${ksqldb.urlFromHost}/info`, timeoutMs, ksqldb.auth)) as { KsqlServerInfo?: { version?: string } };
        return `GET /info: version ${info.KsqlServerInfo?.version ?? "?"}`;
      });
    }
  }
}

export function silentServices(probes: readonly ServiceProbe[]): ServiceProbe[] {
  return probes.filter((p) => p.state === "silent");
}

export function describeProbe(p: ServiceProbe): string {
  const mark = p.state === "answers" ? "ok     " : p.state === "absent" ? "absent " : "SILENT ";
  const address = p.state === "absent" ? "" : ` ${p.address}`;
  const took = p.state === "absent" ? "" : ` (${p.elapsedMs} ms)`;
  return `${mark}${p.service}${address}: ${p.detail}${took}`;
}

async function probe(service: StackService, address: string, timeoutMs: number, ask: () => Promise<string>): Promise<ServiceProbe> {
  const started = Date.now();
  try {
    const detail = await withTimeLimit(ask(), timeoutMs, `${service} at ${address}`);
    return { service, address, state: "answers", detail, elapsedMs: Date.now() - started };
  } catch (error) {
    return { service, address, state: "silent", detail: describeError(error), elapsedMs: Date.now() - started };
  }
}

async function askPostgres(stack: StackEndpoints, timeoutMs: number): Promise<string> {
  const answers: string[] = [];
  for (const role of ["source", "sink"] as const) {
    const database = databaseOf(stack.postgres.fromHost, role);
    const client = new pg.Client({ ...database, connectionTimeoutMillis: timeoutMs });
    try {
      await client.connect();
      await client.query("SELECT 1");
      answers.push(database.database);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return `SELECT 1 in databases ${answers.join(" and ")}`;
}

async function askKafka(stack: StackEndpoints, timeoutMs: number): Promise<string> {
  const kafka = kafkaClient(stack, "ksql-e2e-probe", { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, retry: { retries: 0 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return `metadata: ${cluster.brokers.length} broker(s), cluster ${cluster.clusterId}`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function getJson(url: string, timeoutMs: number, auth: BasicAuth | undefined): Promise<unknown> {
  const response = await axios.get<unknown>(url, { timeout: timeoutMs, validateStatus: () => true, ...(auth ? { auth } : {}) });
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.data;
}
