import { describe, expect, it } from "vitest";
import { queriesFeeding, sourcesRead, startsJoiningQuery } from "./join-statements.js";

const statement = (text: string) => ({ text, source: "test.sql", line: 1 });

describe("statements that start a joining query", () => {
  it("CREATE … AS SELECT with a JOIN of any kind, and INSERT INTO … SELECT with one", () => {
    expect(
      startsJoiningQuery(
        statement("CREATE TABLE r AS SELECT a.k, COUNT(*) FROM a LEFT JOIN b WITHIN 10 MINUTES ON a.k = b.k GROUP BY a.k"),
      ),
    ).toBe(true);
    expect(startsJoiningQuery(statement("create stream e as select * from o inner join c on o.id = c.id emit changes"))).toBe(true);
    expect(startsJoiningQuery(statement("INSERT INTO r SELECT * FROM a JOIN t ON a.k = t.k"))).toBe(true);
  });

  it("not a query without a JOIN, nor a JOIN that is only a name, a string or a comment", () => {
    expect(startsJoiningQuery(statement("CREATE TABLE c AS SELECT k, COUNT(*) FROM a GROUP BY k"))).toBe(false);
    expect(startsJoiningQuery(statement("CREATE STREAM s AS SELECT * FROM a WHERE note = 'LEFT JOIN' -- JOIN\n EMIT CHANGES"))).toBe(false);
    expect(startsJoiningQuery(statement("CREATE STREAM s AS SELECT `JOIN` FROM a"))).toBe(false);
    expect(startsJoiningQuery(statement("CREATE STREAM j (id INT) WITH (KAFKA_TOPIC='join', VALUE_FORMAT='JSON')"))).toBe(false);
  });
});

describe("what a joining query waits for", () => {
  it("the sources a statement reads, as ksqlDB stores their names", () => {
    const join = statement(
      "CREATE TABLE r_s1 AS SELECT bt.account_id, FROM_UNIXTIME(MIN(bt.tx_date)) FROM bank_events_s1 bt " +
        "LEFT JOIN `log events_s1` tl WITHIN 10 MINUTES ON bt.id = tl.id GROUP BY bt.account_id",
    );
    expect(sourcesRead(join)).toEqual(["BANK_EVENTS_S1", "log events_s1"]);
  });

  it("the queries upstream of those sources, however far up, and none beside them", () => {
    const queries = [
      { id: "CSAS_MASKED_1", sources: ["ACCOUNTS_CDC"], sinks: ["MASKED"] },
      { id: "CSAS_EVENTS_2", sources: ["TX_CDC"], sinks: ["EVENTS"] },
      { id: "CSAS_BIG_3", sources: ["EVENTS"], sinks: ["BIG_EVENTS"] },
      { id: "CSAS_LOGS_4", sources: ["LOG_CDC"], sinks: ["LOGS"] },
      { id: "CTAS_COUNTS_5", sources: ["EVENTS"], sinks: ["COUNTS"] },
    ];
    expect(queriesFeeding(["BIG_EVENTS", "LOGS"], queries).map((q) => q.id)).toEqual(["CSAS_BIG_3", "CSAS_LOGS_4", "CSAS_EVENTS_2"]);
  });
});
