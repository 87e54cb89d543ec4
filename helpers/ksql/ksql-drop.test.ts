import { describe, expect, it } from "vitest";
import { dropSourcesFor, type KsqlCatalog } from "./ksql-drop.js";
import type { KsqlEntity, SourceDescription } from "./ksql-entities.js";

const FENCED = "ksqlDB rejected `DROP STREAM …`: There is a newer producer with the same transactionalId which fences the current one.";

/** What ksqlDB 8.1.0 answered when Schema Registry timed out on its soft delete and ksqlDB's own retry found it done. */
const REGISTRY_CLEANUP_FAILED =
  "ksqlDB rejected `DROP STREAM IF EXISTS ORDERS_S1 DELETE TOPIC;`: java.lang.RuntimeException: Could not clean up the schema " +
  "registry for topic: s1_orders\n  Caused by: Subject 's1_orders-key' was soft deleted.Set permanent=true to delete permanently; error code: 40404";

/** A catalog of two streams, one reading the other, whose DROP … DELETE TOPIC of `failsOnce` fails the first time with `failure`. */
function catalog(failsOnce: string, failure = FENCED): { client: KsqlCatalog; sent: string[] } {
  const sent: string[] = [];
  let failed = false;
  const client: KsqlCatalog = {
    listQueries: async () => [],
    terminateQuery: async () => undefined,
    listTables: async () => [],
    listStreams: async () => [{ name: "ORDERS_S1" }, { name: "BIG_ORDERS_S1" }] as never,
    describeSource: async (name) => ({ sourceConstraints: name === "ORDERS_S1" ? ["BIG_ORDERS_S1"] : [] }) as unknown as SourceDescription,
    execute: async (statement): Promise<KsqlEntity[]> => {
      sent.push(statement);
      if (!failed && statement.includes(failsOnce) && statement.includes("DELETE TOPIC")) {
        failed = true;
        throw new Error(failure);
      }
      return [];
    },
  };
  return { client, sent };
}

describe("dropping a namespace's ksqlDB sources", () => {
  it("drops readers first, and a fenced DROP … DELETE TOPIC once more without DELETE TOPIC (its subjects are gone already)", async () => {
    const { client, sent } = catalog(" ORDERS_S1 ");
    const dropped = await dropSourcesFor(client, (name) => name.endsWith("_S1"), { deleteTopics: true });
    expect(sent).toEqual([
      "DROP STREAM IF EXISTS BIG_ORDERS_S1 DELETE TOPIC;",
      "DROP STREAM IF EXISTS ORDERS_S1 DELETE TOPIC;",
      "DROP STREAM IF EXISTS ORDERS_S1;",
    ]);
    expect(dropped.droppedStreams).toEqual(["BIG_ORDERS_S1", "ORDERS_S1"]);
  });

  it("a DROP … DELETE TOPIC that failed on the topic's registry subjects, once more without DELETE TOPIC", async () => {
    const { client, sent } = catalog(" ORDERS_S1 ", REGISTRY_CLEANUP_FAILED);
    const dropped = await dropSourcesFor(client, (name) => name.endsWith("_S1"), { deleteTopics: true });
    expect(sent.slice(1)).toEqual(["DROP STREAM IF EXISTS ORDERS_S1 DELETE TOPIC;", "DROP STREAM IF EXISTS ORDERS_S1;"]);
    expect(dropped.droppedStreams).toEqual(["BIG_ORDERS_S1", "ORDERS_S1"]);
  });

  it("does not hide any other failure", async () => {
    const { client } = catalog("nothing");
    const failing: KsqlCatalog = {
      ...client,
      execute: async () => Promise.reject(new Error("ksqlDB rejected it: Source ORDERS_S1 does not exist")),
    };
    await expect(dropSourcesFor(failing, (name) => name.endsWith("_S1"), { deleteTopics: true })).rejects.toThrow(/does not exist/);
  });
});
