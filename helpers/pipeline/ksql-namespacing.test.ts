import { describe, expect, it } from "vitest";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import { namespaceKsql } from "./ksql-namespacing.js";
import { NamespacingError } from "./namespacing-error.js";

const rules = {
  id: "s1a2b3c",
  sourceTopics: new Map([
    ["integrate.public.product", "s1a2b3c.s1a2b3c.product"],
    ["integrate.public.order_line", "s1a2b3c.s1a2b3c.order_line"],
  ]),
};

const script = `
SET 'auto.offset.reset' = 'earliest';
-- product_cdc reads Debezium's topic
create stream product_cdc with (kafka_topic='integrate.public.product', value_format='avro');
CREATE STREAM order_line_base WITH (KAFKA_TOPIC = 'integrate.public.order_line', VALUE_FORMAT = 'AVRO');
CREATE TABLE count_type_by_product AS
  SELECT bt.after->product_id, COUNT(*) AS product_cdc
  FROM order_line_base bt
  GROUP BY bt.after->product_id EMIT CHANGES;
CREATE STREAM \`masked\` WITH (KAFKA_TOPIC = 'product_masked') AS
  SELECT product_cdc.after->product_id AS id FROM product_cdc LEFT JOIN order_line_base WITHIN 1 MINUTE ON 1 = 1 EMIT CHANGES;
INSERT INTO \`masked\` SELECT after->product_id AS id FROM product_cdc;
DROP STREAM IF EXISTS product_cdc;
`;

describe("namespaceKsql", () => {
  const result = namespaceKsql(splitStatements(script, "shop.sql"), rules);
  const texts = result.statements.map((s) => s.text);

  it("suffixes every created stream and table where it is named as a source, and nothing else", () => {
    expect(texts[1]).toBe("create stream product_cdc_s1a2b3c with (kafka_topic='s1a2b3c.s1a2b3c.product', value_format='avro');");
    expect(texts[3]).toContain("CREATE TABLE count_type_by_product_s1a2b3c AS");
    expect(texts[3]).toContain("FROM order_line_base_s1a2b3c bt");
    // A column that happens to share a stream's name is a column.
    expect(texts[3]).toContain("COUNT(*) AS product_cdc\n");
    expect(texts[4]).toContain("CREATE STREAM `masked_s1a2b3c` WITH (KAFKA_TOPIC = 's1a2b3c_product_masked') AS");
    expect(texts[4]).toContain(
      "SELECT product_cdc_s1a2b3c.after->product_id AS id FROM product_cdc_s1a2b3c LEFT JOIN order_line_base_s1a2b3c WITHIN",
    );
    expect(texts[5]).toBe("INSERT INTO `masked_s1a2b3c` SELECT after->product_id AS id FROM product_cdc_s1a2b3c;");
    expect(texts[6]).toBe("DROP STREAM IF EXISTS product_cdc_s1a2b3c;");
  });

  it("keeps statements that name no pipeline object as written, with their lines", () => {
    expect(texts[0]).toBe("SET 'auto.offset.reset' = 'earliest';");
    expect(result.statements.map((s) => s.line)).toEqual([2, 4, 5, 6, 10, 12, 13]);
  });

  it("maps every object and topic from the team's name to the scenario's", () => {
    expect(Object.fromEntries(result.objects)).toEqual({
      PRODUCT_CDC: "PRODUCT_CDC_S1A2B3C",
      ORDER_LINE_BASE: "ORDER_LINE_BASE_S1A2B3C",
      COUNT_TYPE_BY_PRODUCT: "COUNT_TYPE_BY_PRODUCT_S1A2B3C",
      masked: "masked_s1a2b3c",
    });
    expect(result.topics.get("COUNT_TYPE_BY_PRODUCT")).toBe("COUNT_TYPE_BY_PRODUCT_S1A2B3C");
    expect(result.topics.get("product_masked")).toBe("s1a2b3c_product_masked");
    expect(result.topics.get("integrate.public.product")).toBe("s1a2b3c.s1a2b3c.product");
    expect(result.objectTopics.get("PRODUCT_CDC_S1A2B3C")).toBe("s1a2b3c.s1a2b3c.product");
    expect(result.objectTopics.get("masked_s1a2b3c")).toBe("s1a2b3c_product_masked");
    expect(result.objectTopics.get("COUNT_TYPE_BY_PRODUCT_S1A2B3C")).toBe("COUNT_TYPE_BY_PRODUCT_S1A2B3C");
  });

  it("refuses a topic that is neither captured nor created, naming file, line and the fix", () => {
    const other = splitStatements("\n\nCREATE STREAM clicks WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');", "shop.sql");
    expect(() => namespaceKsql(other, rules)).toThrow(NamespacingError);
    expect(() => namespaceKsql(other, rules)).toThrow(/shop\.sql:3: KAFKA_TOPIC 'clicks' is neither the topic of a captured table/);
    expect(() => namespaceKsql(other, rules)).toThrow(/fix: capture its table/);
  });

  it("gives a topic the statements create with PARTITIONS the scenario's name", () => {
    const own = splitStatements(
      "CREATE STREAM clicks (id INT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');",
      "shop.sql",
    );
    expect(namespaceKsql(own, rules).statements[0]?.text).toBe(
      "CREATE STREAM clicks_s1a2b3c (id INT) WITH (KAFKA_TOPIC='s1a2b3c_clicks', PARTITIONS=1, VALUE_FORMAT='JSON');",
    );
  });

  it("on an existing cluster, refuses a topic named after its stream, outside the run's prefix, naming the fix", () => {
    const implicit = splitStatements("CREATE TABLE totals AS SELECT k, COUNT(*) AS n FROM clicks GROUP BY k EMIT CHANGES;", "shop.sql");
    expect(() => namespaceKsql(implicit, { ...rules, prefixedTopicsOnly: true })).toThrow(
      /shop\.sql:1: TOTALS creates its topic without KAFKA_TOPIC, so the topic would be named TOTALS_S1A2B3C, outside the run's prefix s1a2b3c[\s\S]*fix: name the topic: WITH \(KAFKA_TOPIC = 'totals'/,
    );
  });
});
