import { describe, expect, it } from "vitest";
import { dropSourcesFor, type KsqlCatalog } from "./ksql-drop.js";
import type { KsqlEntity, SourceDescription } from "./ksql-entities.js";

const FENCED = "ksqlDB rejected `DROP STREAM …`: There is a newer producer with the same transactionalId which fences the current one.";

/** A catalog of two streams, one reading the other, whose DROP … DELETE TOPIC of `fencedOnce` is fenced the first time. */
function catalog(fencedOnce: string): { client: KsqlCatalog; sent: string[] } {
  const sent: string[] = [];
  let fenced = false;
  const client: KsqlCatalog = {
    listQueries: async () => [],
    terminateQuery: async () => undefined,
    listTables: async () => [],
    listStreams: async () => [{ name: "ORDERS_S1" }, { name: "BIG_ORDERS_S1" }] as never,
    describeSource: async (name) => ({ sourceConstraints: name === "ORDERS_S1" ? ["BIG_ORDERS_S1"] : [] }) as unknown as SourceDescription,
    execute: async (statement): Promise<KsqlEntity[]> => {
      sent.push(statement);
      if (!fenced && statement.includes(fencedOnce) && statement.includes("DELETE TOPIC")) {
        fenced = true;
        throw new Error(FENCED);
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

  it("does not hide any other failure", async () => {
    const { client } = catalog("nothing");
    const failing: KsqlCatalog = {
      ...client,
      execute: async () => Promise.reject(new Error("ksqlDB rejected it: Source ORDERS_S1 does not exist")),
    };
    await expect(dropSourcesFor(failing, (name) => name.endsWith("_S1"), { deleteTopics: true })).rejects.toThrow(/does not exist/);
  });
});
