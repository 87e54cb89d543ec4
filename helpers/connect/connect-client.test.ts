import { describe, expect, it } from "vitest";
import { describeStatus, KafkaConnectClient, summariseTrace } from "./connect-client.js";
import { ConnectorRequestError } from "./connect-errors.js";

const trace = [
  "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler",
  "\tat org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator.execAndHandleError(RetryWithToleranceOperator.java:260)",
  "\tat org.apache.kafka.connect.runtime.AbstractWorkerSourceTask.sendRecords(AbstractWorkerSourceTask.java:416)",
  "Caused by: org.apache.kafka.connect.errors.DataException: Failed to serialize Avro data",
  "\tat io.apicurio.registry.utils.converter.AvroConverter.fromConnectData(AvroConverter.java:80)",
  "Caused by: java.net.ConnectException: Connection refused",
].join("\n");

describe("connector status in failure messages", () => {
  it("keeps the exception line and every Caused by line, where the reason is", () => {
    expect(
      summariseTrace(trace)
        .split("\n")
        .map((l) => l.trim()),
    ).toEqual([
      "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler",
      "Caused by: org.apache.kafka.connect.errors.DataException: Failed to serialize Avro data",
      "Caused by: java.net.ConnectException: Connection refused",
    ]);
  });

  it("keeps the lines of a multi-line message too: the JDBC sink's exception chain holds the database's error", () => {
    const chain = [
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.",
      "\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:659)",
      "Caused by: org.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: Exception chain:",
      'org.postgresql.util.PSQLException: ERROR: new row for relation "t" violates check constraint "c"',
      "  Detail: Failing row contains (a, -30).",
      "",
      "\tat io.confluent.connect.jdbc.sink.JdbcSinkTask.put(JdbcSinkTask.java:121)",
      "\t... 11 more",
      "Caused by: java.sql.SQLException: Exception chain:",
      'org.postgresql.util.PSQLException: ERROR: new row for relation "t" violates check constraint "c"',
    ].join("\n");
    expect(
      summariseTrace(chain)
        .split("\n")
        .map((l) => l.trim()),
    ).toEqual([
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.",
      "Caused by: org.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: Exception chain:",
      'org.postgresql.util.PSQLException: ERROR: new row for relation "t" violates check constraint "c"',
      "Detail: Failing row contains (a, -30).",
      "Caused by: java.sql.SQLException: Exception chain:",
    ]);
  });

  it("describes the connector and each task, with traces on request", () => {
    const status = {
      name: "s1-source",
      connector: { state: "RUNNING", worker_id: "connect:8083" },
      tasks: [{ id: 0, state: "FAILED", worker_id: "connect:8083", trace }],
    } as const;
    expect(describeStatus(status)).toBe("s1-source: connector RUNNING, task 0 FAILED");
    expect(describeStatus(status, true)).toContain("Caused by: java.net.ConnectException: Connection refused");
  });
});

describe("requests while the workers rebalance", () => {
  /** A Connect stand-in that gives the queued answers to GET /connectors/<name>/config, one per request. */
  async function connectAnswering(
    ...answers: Array<[number, unknown]>
  ): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
    const { createServer } = await import("node:http");
    let requests = 0;
    const server = createServer((_req, res) => {
      const [status, body] = answers[Math.min(requests++, answers.length - 1)] ?? [500, {}];
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}`,
      requests: () => requests,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  it("asks again after 409 and 'a rebalance is expected', as Connect answers while another connector comes or goes", async () => {
    const connect = await connectAnswering(
      [
        409,
        {
          error_code: 409,
          message: "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)",
        },
      ],
      [500, { error_code: 500, message: "Request cannot be completed because a rebalance is expected" }],
      [200, { "connector.class": "x" }],
    );
    try {
      await expect(new KafkaConnectClient(connect.url).config("c")).resolves.toEqual({ "connector.class": "x" });
      expect(connect.requests()).toBe(3);
    } finally {
      await connect.close();
    }
  });

  it("fails at once on any other error, naming the connector and Connect's message", async () => {
    const connect = await connectAnswering([500, { error_code: 500, message: "boom" }]);
    try {
      const error = await new KafkaConnectClient(connect.url).config("c").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConnectorRequestError);
      expect((error as Error).message).toContain("boom");
      expect(connect.requests()).toBe(1);
    } finally {
      await connect.close();
    }
  });
});
