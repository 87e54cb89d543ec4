import { randomBytes } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { RecordDecoder } from "../topics/record-decoder.js";
import type { TopicRecord } from "../topics/topic-reader.js";
import { notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import { describeError } from "../../core/errors.js";

export interface PartitionRange {
  readonly partition: number;
  /** First offset still on the broker. */
  readonly low: bigint;
  /** Offset the next record will get. */
  readonly high: bigint;
}

export interface TopicTail {
  readonly topic: string;
  readonly partitions: readonly PartitionRange[];
  /** At most `count` records, oldest first (by timestamp, then partition and offset). */
  readonly records: readonly TopicRecord[];
  /** Records whose key or value could not be decoded, with why. */
  readonly undecodable: readonly string[];
}

export interface TopicTailOptions {
  readonly count?: number;
  readonly timeoutMs?: number;
}

/**
 * The last records of each topic, decoded: per partition the last `count` offsets are read with
 * one consumer for all topics, then the newest `count` of them kept per topic.
 */
export async function readTopicTails(
  kafka: Kafka,
  decoder: RecordDecoder,
  topics: readonly string[],
  options: TopicTailOptions = {},
): Promise<TopicTail[]> {
  const count = options.count ?? 20;
  const ranges = await partitionRanges(kafka, topics);
  const starts = new Map<string, bigint>();
  let wanted = 0n;
  for (const [topic, partitions] of ranges) {
    for (const p of partitions) {
      const start = p.high - BigInt(count) > p.low ? p.high - BigInt(count) : p.low;
      starts.set(`${topic}/${p.partition}`, start);
      wanted += p.high - start;
    }
  }
  const raw = wanted === 0n ? [] : await consumeRanges(kafka, ranges, starts, wanted, options.timeoutMs ?? 30_000);
  return Promise.all(
    topics.map(async (topic) => {
      const undecodable: string[] = [];
      const decoded = await Promise.all(
        raw
          .filter((r) => r.topic === topic)
          .map(async (r) => ({
            partition: r.partition,
            offset: r.offset,
            timestamp: r.timestamp,
            key: await decodeOrDescribe(decoder, r.key, `${topic}/${r.partition}@${r.offset} key`, undecodable),
            value: await decodeOrDescribe(decoder, r.value, `${topic}/${r.partition}@${r.offset} value`, undecodable),
          })),
      );
      decoded.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
      return { topic, partitions: ranges.get(topic) ?? [], records: decoded.slice(-count), undecodable };
    }),
  );
}

interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

async function partitionRanges(kafka: Kafka, topics: readonly string[]): Promise<Map<string, PartitionRange[]>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ranges = new Map<string, PartitionRange[]>();
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      ranges.set(
        topic,
        offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) })),
      );
    }
    return ranges;
  } finally {
    await admin.disconnect();
  }
}

async function consumeRanges(
  kafka: Kafka,
  ranges: ReadonlyMap<string, readonly PartitionRange[]>,
  starts: ReadonlyMap<string, bigint>,
  wanted: bigint,
  timeoutMs: number,
): Promise<RawRecord[]> {
  // Named with what the topics' names share (the run's namespace), which an existing cluster's ACLs grant.
  const groupId = `${sharedPrefix([...ranges.keys()]) || "ksql-e2e"}.bundle-${randomBytes(4).toString("hex")}`;
  // A short fetch wait: disconnect() waits for the fetch in flight, which the broker otherwise holds for 5 s.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const ends = new Map<string, bigint>();
  for (const [topic, partitions] of ranges) for (const p of partitions) ends.set(`${topic}/${p.partition}`, p.high);
  const seen = new Map<string, RawRecord>();
  const topics = [...ranges.keys()].filter((t) => (ranges.get(t) ?? []).some((p) => p.high > p.low));
  await consumer.connect();
  try {
    // From the beginning, and seek to the tail: should a seek come too early, filtering still keeps only the tail.
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const at = `${topic}/${partition}`;
        const offset = BigInt(message.offset);
        if (offset < (starts.get(at) ?? 0n) || offset >= (ends.get(at) ?? 0n)) return;
        seen.set(`${at}@${message.offset}`, {
          topic,
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
          key: message.key,
          value: message.value,
        });
      },
    });
    for (const [at, start] of starts) {
      const [topic, partition] = splitAt(at);
      if (topics.includes(topic)) consumer.seek({ topic, partition, offset: start.toString() });
    }
    await waitUntil(async () => (BigInt(seen.size) >= wanted ? ready(undefined) : notYet(`${seen.size} of ${wanted} records read`)), {
      what: `the last records of ${topics.join(", ")}`,
      expected: `${wanted} records`,
      whereToLook: "the Kafka container log",
      timeoutMs,
    });
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  return [...seen.values()];
}

function splitAt(at: string): [string, number] {
  const slash = at.lastIndexOf("/");
  return [at.slice(0, slash), Number(at.slice(slash + 1))];
}

async function decodeOrDescribe(decoder: RecordDecoder, bytes: Buffer | null, where: string, problems: string[]): Promise<unknown> {
  try {
    return await decoder.decode(bytes);
  } catch (error) {
    problems.push(`${where}: ${describeError(error)}`);
    return { undecodedBase64: bytes?.toString("base64") ?? null };
  }
}

/** The longest start all the names share. */
function sharedPrefix(names: readonly string[]): string {
  const [first = "", ...rest] = names;
  let length = first.length;
  for (const name of rest) while (length > 0 && !name.startsWith(first.slice(0, length))) length--;
  return first.slice(0, length);
}
