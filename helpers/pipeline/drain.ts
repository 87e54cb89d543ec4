import type { Admin } from "kafkajs";

/** A consumer group and the topics it must have read to their end. */
export interface ConsumerOfTopics {
  /** For messages: "sink connector s1-shop-count", "ksqlDB query CTAS_X_S1_5". */
  readonly what: string;
  readonly groupId: string;
  /** Input topics; the group's other committed topics (ksqlDB repartition topics) are checked too. */
  readonly topics: readonly string[];
}

/**
 * What is still unread: per consumer and topic partition, the committed offset short of the end.
 * Empty when every consumer has committed every record there is: the data has gone all the way through
 * ksqlDB queries (their commit interval) and sink connectors (their offset flush interval).
 */
export async function unreadRecords(admin: Admin, consumers: readonly ConsumerOfTopics[]): Promise<string[]> {
  const behind: string[] = [];
  for (const consumer of consumers) {
    const committedTopics = (await admin.fetchOffsets({ groupId: consumer.groupId })).map((t) => t.topic);
    const topics = [...new Set([...consumer.topics, ...committedTopics])];
    const committed = await admin.fetchOffsets({ groupId: consumer.groupId, topics });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const offsets = committed.find((t) => t.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = BigInt(offsets.find((p) => p.partition === end.partition)?.offset ?? "-1");
        const high = BigInt(end.high);
        const read = at < 0n ? BigInt(end.low) : at;
        if (read < high) behind.push(`${consumer.what}: ${topic}[${end.partition}] at ${at < 0n ? "nothing committed" : at} of ${high}`);
      }
    }
  }
  return behind;
}
