import { randomUUID } from "node:crypto";
import { ConfigResourceTypes } from "kafkajs";
import { describe, expect, inject, it } from "vitest";
import { notYet, ready, timeouts, waitUntil } from "ksql-pipeline-e2e";
import { kafkaClient } from "ksql-pipeline-e2e/stack";

describe("smoke: Kafka", () => {
  const stack = inject("stack");

  it("gives back a message produced from the host", async () => {
    const kafka = kafkaClient(stack, "smoke");
    const topic = `smoke-${randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    const groupId = `smoke-${randomUUID()}`;
    // A short fetch wait: disconnect() waits for the fetch in flight, which the broker otherwise holds for 5 s.
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic, messages: [{ key: "account-1", value: "deposit 100" }] });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: Array<{ key: string; value: string }> = [];
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString() ?? "", value: message.value?.toString() ?? "" });
        },
      });
      const messages = await waitUntil(async () => (received.length > 0 ? ready(received) : notYet("no message yet")), {
        what: `the message on topic ${topic}`,
        expected: "one message consumed",
        whereToLook: "the Kafka container log",
        timeoutMs: timeouts.dataMs,
      });
      expect(messages).toEqual([{ key: "account-1", value: "deposit 100" }]);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it("deletes no record while the stack lives: no retention check, no log cleaner", async () => {
    // ksqlDB stamps its output with the scenarios' event times (2024, 2026): retention would delete it.
    const admin = kafkaClient(stack, "smoke").admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.BROKER, name: "1", configNames: ["log.retention.check.interval.ms", "log.cleaner.enable"] },
        ],
      });
      const config = Object.fromEntries((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
      expect(Number(config["log.retention.check.interval.ms"])).toBeGreaterThan(10 * 365 * 24 * 3600 * 1000);
      expect(config["log.cleaner.enable"]).toBe("false");
    } finally {
      await admin.disconnect();
    }
  });
});
