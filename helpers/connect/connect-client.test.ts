import { describe, expect, it } from "vitest";
import { describeStatus, summariseTrace } from "./connect-client.js";

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
    expect(summariseTrace(trace).split("\n").map((l) => l.trim())).toEqual([
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
      "org.postgresql.util.PSQLException: ERROR: new row for relation \"t\" violates check constraint \"c\"",
      "  Detail: Failing row contains (a, -30).",
      "",
      "\tat io.confluent.connect.jdbc.sink.JdbcSinkTask.put(JdbcSinkTask.java:121)",
      "\t... 11 more",
      "Caused by: java.sql.SQLException: Exception chain:",
      "org.postgresql.util.PSQLException: ERROR: new row for relation \"t\" violates check constraint \"c\"",
    ].join("\n");
    expect(summariseTrace(chain).split("\n").map((l) => l.trim())).toEqual([
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.",
      "Caused by: org.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: Exception chain:",
      "org.postgresql.util.PSQLException: ERROR: new row for relation \"t\" violates check constraint \"c\"",
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
