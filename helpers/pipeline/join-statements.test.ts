import { describe, expect, it } from "vitest";
import { startsJoiningQuery } from "./join-statements.js";

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
