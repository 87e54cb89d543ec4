import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from "axios";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import { ConnectorFailedError, ConnectorRequestError, MissingPluginError } from "./connect-errors.js";
import type { BasicAuth } from "../../containers/stack-endpoints.js";
import type { Connector } from "./connector.js";

export type ConnectState = "RUNNING" | "PAUSED" | "FAILED" | "UNASSIGNED" | "RESTARTING" | "STOPPED";

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: ConnectState; readonly worker_id: string; readonly trace?: string };
  readonly tasks: ReadonlyArray<{ readonly id: number; readonly state: ConnectState; readonly worker_id: string; readonly trace?: string }>;
  readonly type?: string;
}

/** KIP-875's offsets document: for sinks, partition {kafka_topic, kafka_partition} and offset {kafka_offset}. */
export interface ConnectorOffsets {
  readonly offsets: ReadonlyArray<{ readonly partition: Record<string, unknown>; readonly offset: Record<string, unknown> | null }>;
}

export interface ConnectPlugin {
  readonly class: string;
  readonly type: string;
  readonly version?: string;
}

/** Bodiless POST and PUT: axios would send them as form data, which Connect answers with 415. */
const JSON_WITHOUT_BODY = { "Content-Type": "application/json" } as const;

/** Kafka Connect's REST API, with waits that share the harness's timeout policy. */
export class KafkaConnectClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    auth?: BasicAuth,
  ) {
    this.http = axios.create({ baseURL: baseUrl, timeout: 30_000, validateStatus: () => true, ...(auth ? { auth } : {}) });
  }

  /**
   * One request. While the workers rebalance (connectors of other scenarios come and go), Connect answers
   * 409 ("stale configuration", "conflicting operation") or 500 ("a rebalance is expected"): the request
   * is sent again until it gets another answer, under the operation deadline. A worker that does not
   * answer at all fails the request at once.
   */
  private async send<T = unknown>(request: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    return waitUntil(
      async () => {
        let response: AxiosResponse<T>;
        try {
          response = await this.http.request<T>(request);
        } catch (error) {
          throw new GiveUp(error instanceof Error ? error : new Error(String(error)));
        }
        return whileRebalancing(response) ? notYet(`HTTP ${response.status} ${messageOf(response)}`) : ready(response);
      },
      {
        what: `Kafka Connect to answer ${String(request.method).toUpperCase()} ${request.url} while its workers rebalance`,
        expected: "an answer other than HTTP 409 or a rebalance in progress",
        whereToLook: `${this.baseUrl}/connectors and the Connect container log (rebalances)`,
        timeoutMs: timeouts.operationMs,
      },
    );
  }

  /** Connector plugins, and converters and transforms too when `connectorsOnly` is false (KIP-769). */
  async listPlugins(connectorsOnly = true): Promise<ConnectPlugin[]> {
    const response = await this.send<ConnectPlugin[]>({ method: "get", url: "/connector-plugins", params: { connectorsOnly } });
    expectOk(response, "list plugins of", "(worker)");
    return response.data;
  }

  async hasPlugin(pluginClass: string): Promise<boolean> {
    return (await this.listPlugins(false)).some((p) => p.class === pluginClass);
  }

  async listConnectors(): Promise<string[]> {
    const response = await this.send<string[]>({ method: "get", url: "/connectors" });
    expectOk(response, "list", "(all)");
    return response.data;
  }

  /** Creates the connector or replaces its config, after checking the worker has its plugin. */
  async createOrReplace(connector: Connector): Promise<void> {
    const installed = (await this.listPlugins(true)).map((p) => p.class);
    if (!installed.includes(connector.connectorClass)) {
      throw new MissingPluginError(connector.name, connector.connectorClass, installed);
    }
    const response = await this.send({
      method: "put",
      url: `/connectors/${encodeURIComponent(connector.name)}/config`,
      data: connector.config,
    });
    expectOk(response, "create", connector.name);
  }

  async delete(name: string): Promise<void> {
    const response = await this.send({ method: "delete", url: `/connectors/${encodeURIComponent(name)}` });
    if (response.status === 404) return;
    expectOk(response, "delete", name);
    await waitUntil(async () => ((await this.listConnectors()).includes(name) ? notYet(`'${name}' still listed`) : ready(undefined)), {
      what: `connector '${name}' to disappear`,
      expected: `GET /connectors no longer lists '${name}'`,
      whereToLook: `${this.baseUrl}/connectors`,
    });
  }

  /** The status, or undefined when the connector does not exist (yet). */
  async status(name: string): Promise<ConnectorStatus | undefined> {
    const response = await this.send<ConnectorStatus>({ method: "get", url: `/connectors/${encodeURIComponent(name)}/status` });
    if (response.status === 404) return undefined;
    expectOk(response, "read the status of", name);
    return response.data;
  }

  /** Waits until the connector and every one of its tasks are RUNNING; a FAILED one ends the wait with its trace. */
  async waitUntilRunning(name: string, options: { expectedTasks?: number } = {}): Promise<ConnectorStatus> {
    const expectedTasks = options.expectedTasks ?? 1;
    return waitUntil(
      async () => {
        const status = await this.status(name);
        if (!status) return notYet("connector not found");
        if (status.connector.state === "FAILED") {
          throw new GiveUp(new ConnectorFailedError(name, "connector", status.connector.trace ?? "(no trace)"));
        }
        const failed = status.tasks.find((t) => t.state === "FAILED");
        if (failed) throw new GiveUp(new ConnectorFailedError(name, `task ${failed.id}`, failed.trace ?? "(no trace)"));
        const running = status.tasks.filter((t) => t.state === "RUNNING").length;
        if (status.connector.state === "RUNNING" && running >= expectedTasks) return ready(status);
        return notYet(describeStatus(status));
      },
      {
        what: `connector '${name}' and its tasks to be RUNNING`,
        expected: `connector RUNNING with ${expectedTasks} RUNNING task(s)`,
        whereToLook: `${this.baseUrl}/connectors/${name}/status and the Connect container log`,
        timeoutMs: timeouts.operationMs,
      },
    );
  }

  /** The connector's configuration as the worker stores it (secrets in plain text: never print it). */
  async config(name: string): Promise<Record<string, string>> {
    const response = await this.send<Record<string, string>>({ method: "get", url: `/connectors/${encodeURIComponent(name)}/config` });
    expectOk(response, "read the config of", name);
    return response.data;
  }

  /**
   * Restarts the connector and its tasks (KIP-745). `onlyFailed` restarts only the FAILED ones and waits
   * until none shows FAILED any more: the worker acts on a restart a moment later, and until then the
   * status still shows the old failure. (A task that fails again later is the caller's to see.)
   */
  async restart(name: string, options: { onlyFailed?: boolean } = {}): Promise<void> {
    const response = await this.send({
      method: "post",
      url: `/connectors/${encodeURIComponent(name)}/restart`,
      params: { includeTasks: true, onlyFailed: options.onlyFailed ?? false },
      headers: JSON_WITHOUT_BODY,
    });
    expectOk(response, "restart", name);
    if (!options.onlyFailed) return;
    await waitUntil(
      async () => {
        const status = await this.status(name);
        const failed = status === undefined ? false : status.connector.state === "FAILED" || status.tasks.some((t) => t.state === "FAILED");
        return failed && status ? notYet(describeStatus(status, true)) : ready(undefined);
      },
      {
        what: `the failed parts of connector '${name}' to restart`,
        expected: "no FAILED connector or task",
        whereToLook: `${this.baseUrl}/connectors/${name}/status and the Connect container log`,
        timeoutMs: timeouts.operationMs,
      },
    );
  }

  async restartTask(name: string, taskId: number): Promise<void> {
    const response = await this.send({
      method: "post",
      url: `/connectors/${encodeURIComponent(name)}/tasks/${taskId}/restart`,
      headers: JSON_WITHOUT_BODY,
    });
    expectOk(response, `restart task ${taskId} of`, name);
  }

  /** Stops the connector (KIP-875: tasks shut down, offsets may then be changed), and waits until it is STOPPED. */
  async stop(name: string): Promise<void> {
    const response = await this.send({ method: "put", url: `/connectors/${encodeURIComponent(name)}/stop`, headers: JSON_WITHOUT_BODY });
    expectOk(response, "stop", name);
    await waitUntil(
      async () => {
        const status = await this.status(name);
        return status?.connector.state === "STOPPED" && status.tasks.length === 0
          ? ready(undefined)
          : notYet(status ? describeStatus(status) : "gone");
      },
      {
        what: `connector '${name}' to stop`,
        expected: "connector STOPPED with no tasks",
        whereToLook: `${this.baseUrl}/connectors/${name}/status`,
        timeoutMs: timeouts.operationMs,
      },
    );
  }

  /** Resumes a STOPPED or PAUSED connector. */
  async resume(name: string): Promise<void> {
    const response = await this.send({ method: "put", url: `/connectors/${encodeURIComponent(name)}/resume`, headers: JSON_WITHOUT_BODY });
    expectOk(response, "resume", name);
  }

  /** The connector's committed offsets (KIP-875): partitions and offsets as the connector defines them. */
  async offsets(name: string): Promise<ConnectorOffsets> {
    const response = await this.send<ConnectorOffsets>({ method: "get", url: `/connectors/${encodeURIComponent(name)}/offsets` });
    expectOk(response, "read the offsets of", name);
    return response.data;
  }

  /** Changes a STOPPED connector's offsets (for a sink: its consumer group's positions). */
  async alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    const response = await this.send({ method: "patch", url: `/connectors/${encodeURIComponent(name)}/offsets`, data: offsets });
    expectOk(response, "alter the offsets of", name);
  }

  /** One line per connector (those `include` keeps) with its state and task states: for failure messages. */
  async describeAll(include: (name: string) => boolean = () => true): Promise<string> {
    try {
      const names = (await this.listConnectors()).filter(include);
      if (names.length === 0) return "Kafka Connect: no connectors";
      const lines = await Promise.all(
        names.map(async (n) => {
          const status = await this.status(n);
          return status ? describeStatus(status, true) : `${n}: (gone)`;
        }),
      );
      return `Kafka Connect connectors:\n${lines.map((l) => `  ${l}`).join("\n")}`;
    } catch (error) {
      return `Kafka Connect status unavailable: ${(error as Error).message}`;
    }
  }
}

export function describeStatus(status: ConnectorStatus, withTraces = false): string {
  const tasks = status.tasks.map((t) => `task ${t.id} ${t.state}`).join(", ") || "no tasks";
  const head = `${status.name}: connector ${status.connector.state}, ${tasks}`;
  if (!withTraces) return head;
  const traces = [status.connector.trace, ...status.tasks.map((t) => t.trace)].filter((t): t is string => Boolean(t)).map(summariseTrace);
  return traces.length > 0 ? `${head}\n      ${traces.join("\n      ")}` : head;
}

/**
 * A Java stack trace without its frames: the exception line, every "Caused by" line, and the messages
 * that span several lines (the Confluent JDBC sink's "Exception chain:" lists the database's own error
 * there), each once, at most 10 lines. A line longer than 400 characters keeps its start and its end,
 * where Debezium states the reason after a long dump of its offset.
 */
export function summariseTrace(trace: string): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const raw of trace.split("\n")) {
    const line = raw.trim();
    if (line === "" || /^at\s/.test(line) || /^\.\.\. \d+ (more|common frames omitted)$/.test(line) || seen.has(line)) continue;
    seen.add(line);
    kept.push(line.length > 400 ? `${line.slice(0, 220)} … ${line.slice(-170)}` : line);
  }
  return kept.slice(0, 10).join("\n      ");
}

function messageOf(response: AxiosResponse): string {
  const data: unknown = response.data;
  if (data && typeof data === "object" && "message" in data) return String(data.message);
  return typeof data === "string" ? data : JSON.stringify(data);
}

/** Connect's answers while a rebalance is under way or due: asking again later succeeds. */
function whileRebalancing(response: Pick<AxiosResponse, "status" | "data">): boolean {
  if (response.status === 409) return true;
  return response.status >= 500 && /rebalanc/i.test(messageOf(response as AxiosResponse));
}

function expectOk(response: AxiosResponse, action: string, connector: string): void {
  if (response.status >= 400) throw new ConnectorRequestError(connector, response.status, messageOf(response), action);
}
