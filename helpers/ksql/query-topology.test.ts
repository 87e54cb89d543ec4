import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { topicsReadByTopology } from "./query-topology.js";

function recordedTopology(file: string): string {
  const recorded = JSON.parse(readFileSync(new URL(`./contract-fixtures/${file}`, import.meta.url), "utf8")) as {
    body: [{ queryDescription: { topology: string } }];
  };
  return recorded.body[0].queryDescription.topology;
}

describe("the topics a query's topology reads", () => {
  it("an aggregation reads its input and its own repartition topic, named after the query's application id", () => {
    const topology = recordedTopology("ksql-explain-failed-query.json");
    expect(topicsReadByTopology(topology, "_confluent-ksql-default_query_CTAS_X_3", ["PAGEVIEWS_HOME"])).toEqual([
      "PAGEVIEWS_HOME",
      "_confluent-ksql-default_query_CTAS_X_3-Aggregate-GroupBy-repartition",
    ]);
  });

  it("a stateless query reads only its input", () => {
    expect(topicsReadByTopology(recordedTopology("ksql-explain-query.json"), "_confluent-ksql-default_query_CSAS_Y_1", [])).toEqual([
      "pageviews",
    ]);
  });

  it("a join reads both sides and each repartition; a user topic that happens to end in -repartition stays as it is", () => {
    const topology = [
      "Topologies:",
      "   Sub-topology: 0",
      "    Source: KSTREAM-SOURCE-0000000000 (topics: [orders, audit-repartition])",
      "   Sub-topology: 1",
      "    Source: Join-repartition-source (topics: [Join-repartition])",
      "    Source: KSTREAM-SOURCE-0000000003 (topics: [customers])",
    ].join("\n");
    expect(topicsReadByTopology(topology, "app", ["orders", "customers", "audit-repartition"])).toEqual([
      "orders",
      "audit-repartition",
      "app-Join-repartition",
      "customers",
    ]);
  });
});
