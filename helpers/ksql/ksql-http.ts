import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { Readable } from "node:stream";
import { describeError } from "../../core/errors.js";
import type { BasicAuth } from "../../containers/stack-endpoints.js";
import { KsqlServerUnavailableError } from "./ksql-errors.js";

/** ksqlDB's own media type for /ksql, /status, /info (docs: ksqldb-rest-api). */
export const KSQL_MEDIA_TYPE = "application/vnd.ksql.v1+json";

export interface KsqlHttpResponse {
  readonly status: number;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface KsqlHttpStream {
  readonly status: number;
  readonly body: Readable;
}

/**
 * HTTP/1.1 transport to one ksqlDB server. Every status code is returned to the caller (ksqlDB
 * explains failures in the body); only "no answer at all" becomes KsqlServerUnavailableError.
 */
export class KsqlHttp {
  private readonly axios: AxiosInstance;

  constructor(
    readonly baseUrl: string,
    requestTimeoutMs: number,
    auth?: BasicAuth,
  ) {
    this.axios = axios.create({
      baseURL: baseUrl,
      ...(auth ? { auth } : {}),
      timeout: requestTimeoutMs,
      headers: { Accept: KSQL_MEDIA_TYPE, "Content-Type": KSQL_MEDIA_TYPE },
      validateStatus: () => true,
      responseType: "text",
      // Parsing ourselves keeps non-JSON answers (proxies, HTML error pages) reportable.
      transformResponse: (data: unknown) => data,
    });
  }

  /** `path` is used as given; callers keep slashes of ids such as "stream/X/create" raw. */
  async get(path: string): Promise<KsqlHttpResponse> {
    return this.send(path, () => this.axios.get<string>(path));
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<KsqlHttpResponse> {
    return this.send(path, () => this.axios.post<string>(path, JSON.stringify(body), { headers }));
  }

  /** A POST whose body is read as it arrives (chunked /query-stream). No idle timeout: the caller owns the deadline. */
  async postStreaming(path: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<KsqlHttpStream> {
    const response = await this.sendRaw(path, () =>
      this.axios.post<unknown>(path, JSON.stringify(body), {
        headers,
        signal,
        timeout: 0,
        responseType: "stream",
      }),
    );
    if (!(response.data instanceof Readable)) {
      throw new KsqlServerUnavailableError(this.urlOf(path), "the response body is not a stream");
    }
    return { status: response.status, body: response.data };
  }

  urlOf(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, "")}${path}`;
  }

  private async send(path: string, request: () => Promise<AxiosResponse<string>>): Promise<KsqlHttpResponse> {
    const response = await this.sendRaw(path, request);
    const text = typeof response.data === "string" ? response.data : String(response.data ?? "");
    return { status: response.status, text, json: parseJsonOrUndefined(text) };
  }

  private async sendRaw<T>(path: string, request: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
    try {
      return await request();
    } catch (error) {
      if (axios.isAxiosError(error) && error.response === undefined && !axios.isCancel(error)) {
        throw new KsqlServerUnavailableError(this.urlOf(path), describeError(error), { cause: error });
      }
      throw error;
    }
  }
}

export function parseJsonOrUndefined(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
