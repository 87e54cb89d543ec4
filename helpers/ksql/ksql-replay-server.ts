/**
 * A local HTTP/1.1 server for contract tests that replays recorded ksqlDB REST answers and records
 * every request it gets (raw path, headers, body). Not a ksqlDB: it only says what it is told to.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { asRecord, readNumber, readOptionalString } from "./json-shape.js";

export interface RecordedRequest {
  readonly method: string;
  /** The request target exactly as sent (no decoding). */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON, or undefined. */
  readonly json: unknown;
}

export interface ReplayResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly body: unknown;
  /**
   * Write a JSON-array body element by element ("[" + first, "," + next, …, "]"), chunked, the way
   * ksqlDB's JsonQueryStreamResponseWriter does.
   */
  readonly streamArray?: boolean;
}

export type RawHandler = (request: RecordedRequest, response: ServerResponse) => void;

type Route = { kind: "replies"; queue: ReplayResponse[] } | { kind: "raw"; handler: RawHandler };

const FIXTURE_DIR = fileURLToPath(new URL("./contract-fixtures/", import.meta.url));

/** Reads helpers/ksql/contract-fixtures/<name>.json: {comment, status, contentType?, body}. */
export function loadFixture(name: string): ReplayResponse {
  const record = asRecord(JSON.parse(readFileSync(`${FIXTURE_DIR}${name}.json`, "utf8")), name);
  const contentType = readOptionalString(record, "contentType", name);
  return {
    status: readNumber(record, "status", name),
    ...(contentType === undefined ? {} : { contentType }),
    body: record["body"],
    streamArray: record["streamArray"] === true,
  };
}

export class KsqlReplayServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      void this.serve(request, response);
    });
  }

  /** Listens on 127.0.0.1; port 0 picks a free port. */
  static async start(port = 0): Promise<KsqlReplayServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address() as AddressInfo;
    return new KsqlReplayServer(server, `http://127.0.0.1:${address.port}`);
  }

  /** Answers `method path` with these responses in turn; the last one repeats. */
  reply(method: string, path: string, ...responses: ReplayResponse[]): this {
    if (responses.length === 0) throw new Error("reply() needs at least one response");
    this.routes.set(`${method} ${path}`, { kind: "replies", queue: [...responses] });
    return this;
  }

  /** Hands `method path` to a handler that writes the response itself (e.g. a push query held open). */
  handleWith(method: string, path: string, handler: RawHandler): this {
    this.routes.set(`${method} ${path}`, { kind: "raw", handler });
    return this;
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = "";
    request.setEncoding("utf8");
    for await (const chunk of request) body += String(chunk);
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers: request.headers,
      body,
      json: parseJson(body),
    };
    this.requests.push(recorded);

    const route = this.routes.get(`${recorded.method} ${recorded.path}`);
    if (route === undefined) {
      const message = `no replay for ${recorded.method} ${recorded.path}`;
      writeJson(response, { status: 404, body: { "@type": "generic_error", error_code: 40400, message } });
      return;
    }
    if (route.kind === "raw") {
      route.handler(recorded, response);
      return;
    }
    const next = route.queue.length > 1 ? route.queue.shift() : route.queue[0];
    if (next === undefined) throw new Error("unreachable: reply queues are never empty");
    if (next.streamArray === true) writeArrayInChunks(response, next);
    else writeJson(response, next);
  }
}

function writeJson(response: ServerResponse, reply: ReplayResponse): void {
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, { "Content-Type": reply.contentType ?? "application/json" });
  response.end(text);
}

function writeArrayInChunks(response: ServerResponse, reply: ReplayResponse): void {
  const elements = Array.isArray(reply.body) ? reply.body : [];
  response.writeHead(reply.status, { "Content-Type": reply.contentType ?? "application/json" });
  elements.forEach((element: unknown, index) => {
    response.write(`${index === 0 ? "[" : ","}${JSON.stringify(element)}`);
  });
  response.end(elements.length === 0 ? "[]" : "]");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
