import axios, { type AxiosInstance } from "axios";
import type { BasicAuth } from "../../containers/stack-endpoints.js";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";

const CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
/** 50002 operation timed out (writing to the _schemas topic), 50003 error forwarding to the leader, 50004 unknown leader. */
const TRANSIENT_ERROR_CODES: ReadonlySet<number> = new Set([50002, 50003, 50004]);

/** The few Schema Registry REST calls the harness makes (Confluent's API). */
export class SchemaRegistryClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    auth?: BasicAuth,
  ) {
    this.http = axios.create({
      baseURL: baseUrl,
      headers: { Accept: CONFLUENT_JSON },
      validateStatus: () => true,
      ...(auth ? { auth } : {}),
    });
  }

  /** Live subjects, and soft-deleted ones too when asked. */
  async listSubjects(options: { includeDeleted?: boolean } = {}): Promise<string[]> {
    const response = await this.http.get<unknown>(`/subjects${options.includeDeleted ? "?deleted=true" : ""}`);
    if (response.status !== 200 || !Array.isArray(response.data)) {
      throw new Error(`GET ${this.baseUrl}/subjects answered HTTP ${response.status}: ${JSON.stringify(response.data)}`);
    }
    return response.data.map(String);
  }

  /** Registers an Avro schema under the subject; returns its id. */
  async register(subject: string, schema: object): Promise<number> {
    const path = `/subjects/${encodeURIComponent(subject)}/versions`;
    const response = await this.http.post<unknown>(
      path,
      { schema: JSON.stringify(schema) },
      { headers: { "Content-Type": CONFLUENT_JSON } },
    );
    const id = (response.data as { id?: unknown } | undefined)?.id;
    if (response.status !== 200 || typeof id !== "number") {
      throw new Error(`POST ${this.baseUrl}${path} answered HTTP ${response.status}: ${JSON.stringify(response.data)}`);
    }
    return id;
  }

  /** The subject's version numbers, oldest first. */
  async versions(subject: string): Promise<number[]> {
    const response = await this.http.get<unknown>(`/subjects/${encodeURIComponent(subject)}/versions`);
    if (response.status !== 200 || !Array.isArray(response.data)) {
      throw new Error(
        `GET ${this.baseUrl}/subjects/${subject}/versions answered HTTP ${response.status}: ${JSON.stringify(response.data)}`,
      );
    }
    return response.data.map(Number);
  }

  /** One version's schema, parsed (an Avro schema is JSON), with its id. */
  async schema(subject: string, version: number | "latest"): Promise<{ id: number; version: number; schema: unknown }> {
    const response = await this.http.get<{ id?: number; version?: number; schema?: string }>(
      `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
    );
    if (response.status !== 200 || typeof response.data.schema !== "string") {
      throw new Error(
        `GET ${this.baseUrl}/subjects/${subject}/versions/${version} answered HTTP ${response.status}: ${JSON.stringify(response.data)}`,
      );
    }
    return { id: Number(response.data.id), version: Number(response.data.version), schema: JSON.parse(response.data.schema) as unknown };
  }

  /** The compatibility level a subject is checked with: its own, else the registry's (BACKWARD unless configured). */
  async compatibility(subject: string): Promise<string> {
    const own = await this.http.get<{ compatibilityLevel?: string }>(`/config/${encodeURIComponent(subject)}`);
    if (own.status === 200 && own.data.compatibilityLevel) return own.data.compatibilityLevel;
    const global = await this.http.get<{ compatibilityLevel?: string }>("/config");
    if (global.status !== 200 || !global.data.compatibilityLevel) {
      throw new Error(`GET ${this.baseUrl}/config answered HTTP ${global.status}: ${JSON.stringify(global.data)}`);
    }
    return global.data.compatibilityLevel;
  }

  /**
   * Removes a subject for good: a soft delete, then the hard delete (which the registry only accepts
   * after the soft one). A subject that is already gone is no error.
   */
  async deleteSubject(subject: string): Promise<void> {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    for (const url of [path, `${path}?permanent=true`]) {
      await waitUntil(
        async () => {
          const response = await this.http.delete<unknown>(url);
          // 40401: subject not found; 40404: subject was soft-deleted (the hard delete follows).
          const code = (response.data as { error_code?: unknown } | undefined)?.error_code;
          if (response.status === 200 || code === 40401 || code === 40404) return ready(undefined);
          const answer = `DELETE ${this.baseUrl}${url} answered HTTP ${response.status}: ${JSON.stringify(response.data)}`;
          // The registry's own write to its Kafka topic timed out, or its leader is changing: ask again.
          if (typeof code === "number" && TRANSIENT_ERROR_CODES.has(code)) return notYet(answer);
          throw new GiveUp(answer);
        },
        {
          what: `registry subject ${subject} to be deleted`,
          expected: "DELETE answered 200 (or: no such subject)",
          whereToLook: "the Schema Registry log, and its _schemas topic on the broker",
          timeoutMs: timeouts.operationMs,
        },
      );
    }
  }

  /** Deletes every subject, live or soft-deleted, whose name passes the filter; returns their names. */
  async deleteSubjectsWhere(matches: (subject: string) => boolean): Promise<string[]> {
    const subjects = (await this.listSubjects({ includeDeleted: true })).filter(matches);
    for (const subject of subjects) await this.deleteSubject(subject);
    return subjects;
  }
}
