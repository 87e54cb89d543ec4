import { describe, expect, it } from "vitest";
import { SqlScriptError } from "./sql-script-error.js";
import { splitStatements } from "./statement-splitter.js";

const texts = (script: string) => splitStatements(script, "test.sql").map((statement) => statement.text);
const lines = (script: string) => splitStatements(script, "test.sql").map((statement) => statement.line);

describe("splitStatements", () => {
  it("splits at semicolons and records source and 1-based first line", () => {
    const statements = splitStatements("CREATE STREAM A (ID INT) WITH (KAFKA_TOPIC='a');\nDROP STREAM A;\n", "s.sql");
    expect(statements).toEqual([
      { text: "CREATE STREAM A (ID INT) WITH (KAFKA_TOPIC='a');", source: "s.sql", line: 1 },
      { text: "DROP STREAM A;", source: "s.sql", line: 2 },
    ]);
  });

  it("keeps multi-line statements as written, trimmed, starting at their first non-blank line", () => {
    const script = "\n\n   CREATE TABLE T AS\n     SELECT ID, COUNT(*) AS N\n     FROM S GROUP BY ID;\n\nSHOW QUERIES;";
    expect(texts(script)).toEqual(["CREATE TABLE T AS\n     SELECT ID, COUNT(*) AS N\n     FROM S GROUP BY ID;", "SHOW QUERIES;"]);
    expect(lines(script)).toEqual([3, 7]);
  });

  it("does not split at semicolons inside single-quoted strings, including '' escapes", () => {
    const script = "INSERT INTO S (A) VALUES ('x;y');\nINSERT INTO S (A) VALUES ('it''s; -- not a comment');\nSHOW STREAMS;";
    expect(texts(script)).toEqual([
      "INSERT INTO S (A) VALUES ('x;y');",
      "INSERT INTO S (A) VALUES ('it''s; -- not a comment');",
      "SHOW STREAMS;",
    ]);
  });

  it("does not split inside double-quoted or backtick-quoted identifiers", () => {
    const script = 'SELECT "a;b" FROM X;\nSELECT `c;d`, `e``;f` FROM Y;';
    expect(texts(script)).toEqual(['SELECT "a;b" FROM X;', "SELECT `c;d`, `e``;f` FROM Y;"]);
  });

  it("drops line comments between statements and ignores semicolons in them", () => {
    const script =
      "-- setup; with a semicolon\nCREATE STREAM A (ID INT) WITH (KAFKA_TOPIC='a'); -- trailing; comment\n-- another\nSHOW TABLES;";
    expect(texts(script)).toEqual(["CREATE STREAM A (ID INT) WITH (KAFKA_TOPIC='a');", "SHOW TABLES;"]);
    expect(lines(script)).toEqual([2, 4]);
  });

  it("drops block comments between statements and keeps comments inside a statement", () => {
    const script = "/* header;\n   spans lines; */\nCREATE STREAM B AS SELECT * /* inline; */ FROM A;\n/* between */ SHOW QUERIES;";
    expect(texts(script)).toEqual(["CREATE STREAM B AS SELECT * /* inline; */ FROM A;", "SHOW QUERIES;"]);
    expect(lines(script)).toEqual([3, 4]);
  });

  it("treats a last statement without semicolon as a statement, without its trailing comment", () => {
    const script = "SHOW STREAMS;\nSELECT * FROM T\n  WHERE ID = 1 -- no semicolon\n";
    const statements = splitStatements(script, "t.sql");
    expect(statements.map((statement) => statement.text)).toEqual(["SHOW STREAMS;", "SELECT * FROM T\n  WHERE ID = 1"]);
    expect(statements[1]?.line).toBe(2);
  });

  it("skips empty statements and blank or comment-only scripts", () => {
    expect(texts(";;  ;\nSHOW TABLES;;")).toEqual(["SHOW TABLES;"]);
    expect(texts("  \n\t\n")).toEqual([]);
    expect(texts("-- only a comment\n/* and another */")).toEqual([]);
  });

  it("counts lines through CRLF endings, strings and comments spanning lines", () => {
    const script = "SELECT 'multi\r\nline' FROM A;\r\n/* x\r\n y */\r\nSHOW TABLES;";
    expect(lines(script)).toEqual([1, 5]);
  });

  it("does not treat a lone dash or slash as a comment", () => {
    expect(texts("SELECT A - 1, B / 2 FROM T;")).toEqual(["SELECT A - 1, B / 2 FROM T;"]);
  });

  it.each([
    ["an unterminated string literal", "SHOW TABLES;\nINSERT INTO S VALUES ('oops);\n", 2, 23, "unterminated string literal"],
    ["an unterminated backtick identifier", "SELECT `col FROM T;", 1, 8, "unterminated backtick-quoted identifier"],
    ["an unterminated double-quoted identifier", 'SHOW TABLES;\n\nSELECT "col FROM T;', 3, 8, "unterminated double-quoted identifier"],
    ["an unterminated block comment", "SHOW TABLES;\n  /* never closed;\nSHOW STREAMS;", 2, 3, "unterminated block comment"],
  ])("rejects %s naming source and line", (_name, script, line, column, problem) => {
    let caught: unknown;
    try {
      splitStatements(script, "scripts/pipeline.sql");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SqlScriptError);
    const error = caught as SqlScriptError;
    expect(error.source).toBe("scripts/pipeline.sql");
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`scripts/pipeline.sql:${line}:${column}: ${problem}`);
  });
});
