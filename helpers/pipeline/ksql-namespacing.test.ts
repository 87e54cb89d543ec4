import { describe, expect, it } from "vitest";
import { splitStatements } from "../ksql/statement-splitter.js";
import { namespaceKsql } from "./ksql-namespacing.js";
import { NamespacingError } from "./namespacing-error.js";

const rules = {
  id: "s1a2b3c",
  sourceTopics: new Map([
    ["integrate.public.account", "s1a2b3c.s1a2b3c.account"],
    ["integrate.public.bank_transaction", "s1a2b3c.s1a2b3c.bank_transaction"],
  ]),
};

const script = `
SET 'auto.offset.reset' = 'earliest';
-- account_cdc reads Debezium's topic
create stream account_cdc with (kafka_topic='integrate.public.account', value_format='avro');
CREATE STREAM bank_transaction_base WITH (KAFKA_TOPIC = 'integrate.public.bank_transaction', VALUE_FORMAT = 'AVRO');
CREATE TABLE count_type_by_account AS
  SELECT bt.after->account_id, COUNT(*) AS account_cdc
  FROM bank_transaction_base bt
  GROUP BY bt.after->account_id EMIT CHANGES;
CREATE STREAM \`masked\` WITH (KAFKA_TOPIC = 'account_masked') AS
  SELECT account_cdc.after->account_id AS id FROM account_cdc LEFT JOIN bank_transaction_base WITHIN 1 MINUTE ON 1 = 1 EMIT CHANGES;
INSERT INTO \`masked\` SELECT after->account_id AS id FROM account_cdc;
DROP STREAM IF EXISTS account_cdc;
`;

describe("namespaceKsql", () => {
  const result = namespaceKsql(splitStatements(script, "bank.sql"), rules);
  const texts = result.statements.map((s) => s.text);

  it("suffixes every created stream and table where it is named as a source, and nothing else", () => {
    expect(texts[1]).toBe("create stream account_cdc_s1a2b3c with (kafka_topic='s1a2b3c.s1a2b3c.account', value_format='avro');");
    expect(texts[3]).toContain("CREATE TABLE count_type_by_account_s1a2b3c AS");
    expect(texts[3]).toContain("FROM bank_transaction_base_s1a2b3c bt");
    // A column that happens to share a stream's name is a column.
    expect(texts[3]).toContain("COUNT(*) AS account_cdc\n");
    expect(texts[4]).toContain("CREATE STREAM `masked_s1a2b3c` WITH (KAFKA_TOPIC = 'account_masked_s1a2b3c') AS");
    expect(texts[4]).toContain("SELECT account_cdc_s1a2b3c.after->account_id AS id FROM account_cdc_s1a2b3c LEFT JOIN bank_transaction_base_s1a2b3c WITHIN");
    expect(texts[5]).toBe("INSERT INTO `masked_s1a2b3c` SELECT after->account_id AS id FROM account_cdc_s1a2b3c;");
    expect(texts[6]).toBe("DROP STREAM IF EXISTS account_cdc_s1a2b3c;");
  });

  it("keeps statements that name no pipeline object as written, with their lines", () => {
    expect(texts[0]).toBe("SET 'auto.offset.reset' = 'earliest';");
    expect(result.statements.map((s) => s.line)).toEqual([2, 4, 5, 6, 10, 12, 13]);
  });

  it("maps every object and topic from the team's name to the scenario's", () => {
    expect(Object.fromEntries(result.objects)).toEqual({
      ACCOUNT_CDC: "ACCOUNT_CDC_S1A2B3C",
      BANK_TRANSACTION_BASE: "BANK_TRANSACTION_BASE_S1A2B3C",
      COUNT_TYPE_BY_ACCOUNT: "COUNT_TYPE_BY_ACCOUNT_S1A2B3C",
      masked: "masked_s1a2b3c",
    });
    expect(result.topics.get("COUNT_TYPE_BY_ACCOUNT")).toBe("COUNT_TYPE_BY_ACCOUNT_S1A2B3C");
    expect(result.topics.get("account_masked")).toBe("account_masked_s1a2b3c");
    expect(result.topics.get("integrate.public.account")).toBe("s1a2b3c.s1a2b3c.account");
    expect(result.objectTopics.get("ACCOUNT_CDC_S1A2B3C")).toBe("s1a2b3c.s1a2b3c.account");
    expect(result.objectTopics.get("masked_s1a2b3c")).toBe("account_masked_s1a2b3c");
    expect(result.objectTopics.get("COUNT_TYPE_BY_ACCOUNT_S1A2B3C")).toBe("COUNT_TYPE_BY_ACCOUNT_S1A2B3C");
  });

  it("refuses a topic that is neither captured nor created, naming file, line and the fix", () => {
    const other = splitStatements("\n\nCREATE STREAM clicks WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');", "shop.sql");
    expect(() => namespaceKsql(other, rules)).toThrow(NamespacingError);
    expect(() => namespaceKsql(other, rules)).toThrow(/shop\.sql:3: KAFKA_TOPIC 'clicks' is neither the topic of a captured table/);
    expect(() => namespaceKsql(other, rules)).toThrow(/fix: capture its table/);
  });

  it("gives a topic the statements create with PARTITIONS the scenario's name", () => {
    const own = splitStatements("CREATE STREAM clicks (id INT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');", "shop.sql");
    expect(namespaceKsql(own, rules).statements[0]?.text).toBe(
      "CREATE STREAM clicks_s1a2b3c (id INT) WITH (KAFKA_TOPIC='clicks_s1a2b3c', PARTITIONS=1, VALUE_FORMAT='JSON');");
  });
});
