import { describe, expect, it } from "vitest";
import { unreadRecords, type ConsumerOfTopics } from "./drain.js";

/** A Kafka with one-partition topics (their ends) and groups' committed offsets; `onAsk` runs after each group is asked. */
function fakeKafka(
  ends: Record<string, number>,
  committed: Record<string, Record<string, number>>,
  onAsk: (group: string) => void = () => {},
) {
  return {
    fetchTopicOffsets: async (topic: string) => {
      const high = ends[topic];
      if (high === undefined) throw new Error(`This server does not host this topic-partition (${topic})`);
      return [{ partition: 0, offset: String(high), high: String(high), low: "0" }];
    },
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics?: string[] }) => {
      const offsets = committed[groupId] ?? {};
      if (topics !== undefined) onAsk(groupId);
      return (topics ?? Object.keys(offsets)).map((topic) => ({
        topic,
        partitions: [{ partition: 0, offset: String(offsets[topic] ?? -1), metadata: null }],
      }));
    },
  };
}

const volumeQuery: ConsumerOfTopics = {
  what: "ksqlDB query CTAS_VOLUME_1",
  groupId: "app-CTAS_VOLUME_1",
  topics: ["events", "app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition"],
};
const volumeSink: ConsumerOfTopics = { what: "sink connector volume", groupId: "connect-volume", topics: ["volume"] };

describe("what is still unread", () => {
  it("nothing, when every reader has committed the end of every topic it reads, and no topic grew meanwhile", async () => {
    const kafka = fakeKafka(
      { events: 6, "app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition": 6, volume: 4 },
      { "app-CTAS_VOLUME_1": { events: 6, "app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition": 6 }, "connect-volume": { volume: 4 } },
    );
    expect(await unreadRecords(kafka, [volumeSink, volumeQuery])).toEqual([]);
  });

  it("a repartition topic whose reading task has committed nothing yet (another server's task, say)", async () => {
    const kafka = fakeKafka(
      { events: 6, "app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition": 6, volume: 0 },
      { "app-CTAS_VOLUME_1": { events: 6 }, "connect-volume": {} },
    );
    expect(await unreadRecords(kafka, [volumeQuery, volumeSink])).toEqual([
      "ksqlDB query CTAS_VOLUME_1: app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition[0] at nothing committed of 6",
    ]);
  });

  it("a topic that grew while its readers were asked: the answer is stale, whatever order they were asked in", async () => {
    const ends = { events: 6, "app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition": 6, volume: 3 };
    const committed = {
      "app-CTAS_VOLUME_1": { events: 6, "app-CTAS_VOLUME_1-Aggregate-GroupBy-repartition": 6 },
      "connect-volume": { volume: 3 },
    };
    // The sink is asked first and has read all 3 rows; then the query commits, having written its 4th row.
    const kafka = fakeKafka(ends, committed, (group) => {
      if (group === "app-CTAS_VOLUME_1") ends.volume = 4;
    });
    expect(await unreadRecords(kafka, [volumeSink, volumeQuery])).toEqual(["volume[0] grew from 3 to 4 while its readers were asked"]);
  });

  it("a group that has committed nothing has read nothing of a topic that holds records", async () => {
    const kafka = fakeKafka({ volume: 2 }, {});
    expect(await unreadRecords(kafka, [volumeSink])).toEqual(["sink connector volume: volume[0] at nothing committed of 2"]);
  });
});
