import type { Admin } from "kafkajs";

/** A consumer group and the topics it must have read to their end. */
export interface ConsumerOfTopics {
  /** For messages: "sink connector s1-shop-count", "ksqlDB query CTAS_X_S1_5". */
  readonly what: string;
  readonly groupId: string;
  /** Every topic it reads: a ksqlDB query's repartition topics too. The group's other committed topics are checked as well. */
  readonly topics: readonly string[];
}

type DrainAdmin = Pick<Admin, "fetchOffsets" | "fetchTopicOffsets">;

/**
 * What is still unread: per consumer and topic partition, the committed offset short of the end.
 * Empty when every consumer has committed every record there is: the data has gone all the way through
 * ksqlDB queries (their commit interval) and sink connectors (their offset flush interval).
 *
 * The consumers are asked one after another, and a query may write to a topic that was already checked
 * meanwhile. So the ends are read before and after the committed offsets; a topic that grew in between
 * means the answer is stale, and it is reported as unread.
 */
export async function unreadRecords(admin: DrainAdmin, consumers: readonly ConsumerOfTopics[]): Promise<string[]> {
  const topicsOf = new Map<ConsumerOfTopics, string[]>();
  for (const consumer of consumers) {
    const committedTopics = (await admin.fetchOffsets({ groupId: consumer.groupId })).map((t) => t.topic);
    topicsOf.set(
      consumer,
      [...new Set([...consumer.topics, ...committedTopics])].filter((t) => t !== ""),
    );
  }
  const allTopics = [...new Set([...topicsOf.values()].flat())];
  const endsBefore = await endOffsets(admin, allTopics);

  const behind: string[] = [];
  for (const [consumer, topics] of topicsOf) {
    const committed = await admin.fetchOffsets({ groupId: consumer.groupId, topics });
    for (const topic of topics) {
      const offsets = committed.find((t) => t.topic === topic)?.partitions ?? [];
      for (const end of endsBefore.get(topic) ?? []) {
        const at = BigInt(offsets.find((p) => p.partition === end.partition)?.offset ?? "-1");
        const read = at < 0n ? end.low : at;
        if (read < end.high)
          behind.push(`${consumer.what}: ${topic}[${end.partition}] at ${at < 0n ? "nothing committed" : at} of ${end.high}`);
      }
    }
  }
  if (behind.length > 0) return behind;

  const endsAfter = await endOffsets(admin, allTopics);
  for (const [topic, before] of endsBefore) {
    for (const end of endsAfter.get(topic) ?? []) {
      const was = before.find((p) => p.partition === end.partition)?.high ?? 0n;
      if (end.high !== was) behind.push(`${topic}[${end.partition}] grew from ${was} to ${end.high} while its readers were asked`);
    }
  }
  return behind;
}

interface PartitionEnd {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

async function endOffsets(admin: DrainAdmin, topics: readonly string[]): Promise<Map<string, PartitionEnd[]>> {
  const ends = new Map<string, PartitionEnd[]>();
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends.set(
      topic,
      offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) })),
    );
  }
  return ends;
}
