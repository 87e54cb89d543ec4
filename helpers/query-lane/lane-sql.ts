/**
 * One case of the queries lane: a ksqlDB test file (the run's properties, the team's statements namespaced as on the
 * stack, the captured topics' declarations given the columns the registry would give them) and the change events as
 * the records Debezium would write, in the order and at the times they were written.
 */
import { isSignificant, tokenize, type SqlToken } from "../../core/sql/sql-tokens.js";
import type { SqlStatement } from "../../core/sql/statement-splitter.js";
import type { SourceColumn, SourceTable } from "../pipeline/source-tables.js";
import type { ChangeEvent, ColumnValues } from "./change-events.js";
import { laneTypeOf, type DebeziumSettings } from "./debezium-types.js";
import { laneValue, type LaneValue } from "./lane-values.js";

export interface LaneCase {
  readonly name: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  readonly statements: readonly SqlStatement[];
  /** The captured tables by their topic (the scenario's name). */
  readonly capturedTopics: ReadonlyMap<string, SourceTable>;
  readonly settings: DebeziumSettings;
  readonly events: readonly ChangeEvent[];
  /** What the envelope's source block says: the connector's topic.prefix and database. */
  readonly origin: { readonly name: string; readonly db: string; readonly schema: string };
}

const SOURCE_STRUCT =
  "STRUCT<`VERSION` STRING, `CONNECTOR` STRING, `NAME` STRING, `TS_MS` BIGINT, `SNAPSHOT` STRING, `DB` STRING, " +
  "`SEQUENCE` STRING, `TS_US` BIGINT, `TS_NS` BIGINT, `SCHEMA` STRING, `TABLE` STRING, `TXID` BIGINT, `LSN` BIGINT, `XMIN` BIGINT>";
const TRANSACTION_STRUCT = "STRUCT<`ID` STRING, `TOTAL_ORDER` BIGINT, `DATA_COLLECTION_ORDER` BIGINT>";
const CREATE = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?/i;

/** A record of a captured topic, with its columns named as declared (ROWKEY; BEFORE, AFTER, …). */
export interface LaneInput {
  readonly topic: string;
  readonly key: Readonly<Record<string, LaneValue | Readonly<Record<string, LaneValue>>>> | null;
  readonly value: Readonly<Record<string, LaneValue | Readonly<Record<string, LaneValue>> | null>>;
  readonly timestamp: number;
}

export function laneCaseFiles(laneCase: LaneCase): { readonly sql: string; readonly inputs: readonly LaneInput[] } {
  const declared = new Map<string, Declaration & { readonly topic: string }>();
  const statements = laneCase.statements.map((statement) => {
    const declaration = capturedDeclaration(statement, laneCase);
    if (declaration === undefined) return statement.text;
    declared.set(declaration.table.name, declaration);
    return declaration.text;
  });
  const sql = [
    `--@test: ${laneCase.name.replace(/\s+/g, "-")}`,
    ...Object.entries(laneCase.properties).map(([key, value]) => `SET '${key}' = '${String(value)}';`),
    ...statements,
    "",
  ].join("\n");
  const inputs = laneCase.events.flatMap((event) => {
    const declaration = declared.get(event.table);
    return declaration === undefined ? [] : [inputOf(event, declaration, laneCase)];
  });
  return { sql, inputs };
}

interface Declaration {
  readonly text: string;
  readonly topic: string;
  readonly table: SourceTable;
  readonly withKey: boolean;
}

/**
 * A declaration of a captured topic without columns (ksqlDB takes them from the registry on the stack) gets them
 * written out: ROWKEY (the primary key's struct), BEFORE, AFTER, SOURCE, TRANSACTION, OP, TS_MS, TS_US, TS_NS, as
 * DESCRIBE shows them for a Debezium topic on the stack. Declarations that list columns stay as written.
 */
function capturedDeclaration(statement: SqlStatement, laneCase: LaneCase): Declaration | undefined {
  const create = CREATE.exec(statement.text);
  if (create === null) return undefined;
  const tokens = tokenize(statement.text);
  const significant = tokens.filter(isSignificant);
  const nameToken = significant.find((t) => t.offset >= create[0].length);
  const after = nameToken === undefined ? undefined : significant[significant.indexOf(nameToken) + 1];
  if (nameToken === undefined || after?.text.toUpperCase() !== "WITH") return undefined;
  const properties = withProperties(significant, significant.indexOf(after));
  const topic = properties.get("KAFKA_TOPIC");
  const table = topic === undefined ? undefined : laneCase.capturedTopics.get(topic);
  if (table === undefined) return undefined;
  const keyFormat = (properties.get("KEY_FORMAT") ?? properties.get("FORMAT") ?? "KAFKA").toUpperCase();
  const withKey = keyFormat !== "KAFKA" && keyFormat !== "NONE";
  const isTable = (create[1] ?? "").toUpperCase() === "TABLE";
  const row = structOf(table.columns, laneCase.settings);
  const columns = [
    ...(withKey
      ? [
          `ROWKEY ${structOf(
            table.columns.filter((c) => c.primaryKey),
            laneCase.settings,
          )} ${isTable ? "PRIMARY KEY" : "KEY"}`,
        ]
      : []),
    `BEFORE ${row}`,
    `AFTER ${row}`,
    `SOURCE ${SOURCE_STRUCT}`,
    `TRANSACTION ${TRANSACTION_STRUCT}`,
    "OP STRING",
    "TS_MS BIGINT",
    "TS_US BIGINT",
    "TS_NS BIGINT",
  ];
  const nameEnd = nameToken.offset + nameToken.text.length;
  let text = `${statement.text.slice(0, nameEnd)} (${columns.join(", ")})${statement.text.slice(nameEnd)}`;
  if (!properties.has("PARTITIONS")) text = text.replace(/\bWITH\s*\(/i, (opening) => `${opening}PARTITIONS = 1, `);
  return { text, topic: topic as string, table, withKey };
}

function withProperties(significant: readonly SqlToken[], withAt: number): Map<string, string> {
  const properties = new Map<string, string>();
  for (let i = withAt + 2; i < significant.length && significant[i]?.text !== ")"; i++) {
    const name = significant[i];
    if (name?.kind === "word" && significant[i + 1]?.text === "=") {
      const value = significant[i + 2]?.text ?? "";
      properties.set(name.text.toUpperCase(), value.replace(/^'|'$/g, "").replaceAll("''", "'"));
      i += 2;
    }
  }
  return properties;
}

function structOf(columns: readonly SourceColumn[], settings: DebeziumSettings): string {
  return `STRUCT<${columns.map((c) => `\`${c.name.toUpperCase()}\` ${laneTypeOf(c, settings).sql}`).join(", ")}>`;
}

function inputOf(event: ChangeEvent, declaration: Declaration, laneCase: LaneCase): LaneInput {
  const { table } = declaration;
  const struct = (values: ColumnValues | null, columns: readonly SourceColumn[]): Record<string, LaneValue> | null =>
    values === null
      ? null
      : Object.fromEntries(
          columns.map((c) => [c.name.toUpperCase(), laneValue(values[c.name] ?? null, laneTypeOf(c, laneCase.settings), c)]),
        );
  const keyColumns = table.columns.filter((c) => c.primaryKey);
  return {
    topic: declaration.topic,
    key: declaration.withKey ? { ROWKEY: struct(event.key, keyColumns) } : null,
    value: {
      BEFORE: struct(event.before, table.columns),
      AFTER: struct(event.after, table.columns),
      SOURCE: {
        VERSION: "3.4.0.Final",
        CONNECTOR: "postgresql",
        NAME: laneCase.origin.name,
        TS_MS: event.at,
        SNAPSHOT: event.snapshot,
        DB: laneCase.origin.db,
        SEQUENCE: null,
        TS_US: event.at * 1000,
        TS_NS: String(BigInt(event.at) * 1_000_000n),
        SCHEMA: laneCase.origin.schema,
        TABLE: table.name,
        TXID: null,
        LSN: null,
        XMIN: null,
      },
      TRANSACTION: null,
      OP: event.op,
      TS_MS: event.at,
      TS_US: event.at * 1000,
      TS_NS: String(BigInt(event.at) * 1_000_000n),
    },
    timestamp: event.at,
  };
}
