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
