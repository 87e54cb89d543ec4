import type { Kafka } from "kafkajs";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import type { RecordDecoder } from "./record-decoder.js";

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly key: unknown;
  readonly value: unknown;
}

/** Reads whole topics up to their current end, decoded, for assertions on change events. */
export class TopicReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly decoder: RecordDecoder,
  ) {}

  async waitForTopic(topic: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitUntil(async () => ((await admin.listTopics()).includes(topic) ? ready(undefined) : notYet("topic not listed")), {
        what: `topic ${topic}`,
        expected: "the topic exists",
        whereToLook: "the source connector status and the Connect log",
        timeoutMs: timeouts.dataMs,
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** Every record from the beginning up to the end offsets at the time of the call. */
  async readAll(topic: string): Promise<TopicRecord[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
    const expected = [...ends.values()].reduce((a, b) => a + b, 0n);
    if (expected === 0n) return [];

    // A short fetch wait: disconnect() waits for the fetch in flight, which the broker otherwise holds for 5 s.
    // Named after the topic, so that it shares the prefix an existing cluster's ACLs grant the run.
    const groupId = `${topic}.reader-${process.pid}-${Date.now()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const raw: Array<{ partition: number; offset: string; timestamp: number; key: Buffer | null; value: Buffer | null }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition) ?? 0n;
          if (BigInt(message.offset) < end) {
            raw.push({ partition, offset: message.offset, timestamp: Number(message.timestamp), key: message.key, value: message.value });
          }
        },
      });
      await waitUntil(
        async () => (BigInt(raw.length) >= expected ? ready(undefined) : notYet(`${raw.length} of ${expected} records read`)),
        {
          what: `reading topic ${topic} to its end`,
          expected: `${expected} records`,
          whereToLook: "the Kafka container log",
          timeoutMs: timeouts.dataMs,
        },
      );
    } finally {
      await consumer.disconnect();
      await this.deleteGroup(groupId);
    }
    raw.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    return Promise.all(
      raw.map(async (r) => ({
        partition: r.partition,
        offset: r.offset,
        timestamp: r.timestamp,
        key: await this.decodeOrExplain(topic, r.partition, r.offset, "key", r.key),
        value: await this.decodeOrExplain(topic, r.partition, r.offset, "value", r.value),
      })),
    );
  }

  /** The reader's consumer group has no use once read: leave no group behind. */
  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }

  private async decodeOrExplain(topic: string, partition: number, offset: string, part: string, bytes: Buffer | null): Promise<unknown> {
    try {
      return await this.decoder.decode(bytes);
    } catch (error) {
      throw new RecordDecodeError(`cannot decode the ${part} of ${topic}[${partition}]@${offset}: ${(error as Error).message}`);
    }
  }

  /**
   * Waits until the topic's partitions together hold at least `count` records, by their end offsets:
   * nothing is read, so it is as fast as the broker answers.
   */
  async waitUntilTopicHolds(topic: string, count: number): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitUntil(
        async () => {
          const topics = await admin.listTopics();
          if (!topics.includes(topic)) return notYet("the topic does not exist yet");
          const held = (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
          return held >= count ? ready(undefined) : notYet(`${held} records`);
        },
        {
          what: `${count} records on topic ${topic}`,
          expected: `at least ${count} records (end offsets)`,
          whereToLook: "the source connector status (GET /connectors/<name>/status) and the Connect log",
          timeoutMs: timeouts.dataMs,
        },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until the topic holds at least `count` records, then returns all of them. */
  async waitForRecords(topic: string, count: number): Promise<TopicRecord[]> {
    await this.waitForTopic(topic);
    return waitUntil(
      async () => {
        const records = await this.readAll(topic).catch((error: unknown) => {
          // Decoding fails the same way on every try: stop at once.
          throw error instanceof RecordDecodeError ? new GiveUp(error) : error;
        });
        return records.length >= count ? ready(records) : notYet(`${records.length} records`);
      },
      {
        what: `${count} records on topic ${topic}`,
        expected: `at least ${count} records`,
        whereToLook: "the source connector status (GET /connectors/<name>/status) and the Connect log",
        timeoutMs: timeouts.dataMs,
      },
    );
  }
}

/** A record on a topic that the decoder cannot read (unknown schema id, not the expected format). */
export class RecordDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordDecodeError";
  }
}

/** The parts of a Debezium change event tests look at. */
export interface ChangeEvent {
  readonly op: "c" | "u" | "d" | "r";
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
}

export function asChangeEvent(value: unknown): ChangeEvent | null {
  if (value === null || typeof value !== "object") return null;
  const v = value as { op?: unknown; before?: unknown; after?: unknown };
  if (typeof v.op !== "string") throw new Error(`not a Debezium change event: ${JSON.stringify(value).slice(0, 200)}`);
  return {
    op: v.op as ChangeEvent["op"],
    before: unwrapAvroUnion(v.before),
    after: unwrapAvroUnion(v.after),
  };
}

/** avsc decodes a nullable record as the record itself; some decoders wrap it as `{ Name: {...} }`. */
function unwrapAvroUnion(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  return value as Record<string, unknown>;
}
