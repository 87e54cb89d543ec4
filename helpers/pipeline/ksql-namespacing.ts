import type { SqlStatement } from "../../core/sql/statement-splitter.js";
import { isSignificant, quote, tokenize, unquote, type SqlToken } from "../../core/sql/sql-tokens.js";
import { storedNameOf } from "../ksql/source-names.js";
import { NamespacingError } from "./namespacing-error.js";

export interface KsqlNamespaceRules {
  /** Appended to every stream and table the statements create (`_<id>`); topics they create start with `<id>_`. */
  readonly id: string;
  /**
   * Every topic must start with the id: on an existing cluster, the run's ACLs grant its prefix only. A statement
   * that creates a topic named after its stream or table (no KAFKA_TOPIC) is then refused, naming the fix.
   */
  readonly prefixedTopicsOnly?: boolean;
  /** The captured tables' Debezium topics: as the team's files name them -> the scenario's. */
  readonly sourceTopics: ReadonlyMap<string, string>;
}

export interface NamespacedKsql {
  /** The statements, rewritten, with their original file and line. */
  readonly statements: readonly SqlStatement[];
  /** Streams and tables the statements create, as ksqlDB stores names: team's -> scenario's. */
  readonly objects: ReadonlyMap<string, string>;
  /** Every topic the statements read or write, as the team's files name it -> the scenario's. */
  readonly topics: ReadonlyMap<string, string>;
  /** The topic of each stream and table the statements create, by the scenario's names. */
  readonly objectTopics: ReadonlyMap<string, string>;
}

/** Keywords after which a name is a stream or table (CREATE STREAM x, FROM x, JOIN x, INSERT INTO x, …). */
const SOURCE_POSITION = new Set(["STREAM", "TABLE", "FROM", "JOIN", "INTO", "EXISTS", "DESCRIBE"]);
const CREATE = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?/i;
/** CREATE … AS SELECT: a query writes the created stream or table (and creates its topic). */
const AS_SELECT = /\bAS\s+SELECT\b/i;

/**
 * Gives statements a scenario's own names, so that scenarios share one ksqlDB server:
 * - every stream and table the statements create gets `_<id>` appended, wherever it is named as a source
 *   (CREATE/DROP STREAM|TABLE x, FROM x, JOIN x, INSERT INTO x, DESCRIBE x, x.column);
 * - KAFKA_TOPIC of a captured table's topic becomes the scenario's topic; a topic the statements create
 *   (AS SELECT, or PARTITIONS given) gets `<id>_` in front; any other topic is an error, since the
 *   scenario could only share it.
 * Everything else (columns, functions, comments, SET) is left as written.
 */
export function namespaceKsql(statements: readonly SqlStatement[], rules: KsqlNamespaceRules): NamespacedKsql {
  const objects = new Map<string, string>();
  const topics = new Map(rules.sourceTopics);
  for (const statement of statements) {
    const created = createdName(statement);
    if (created !== undefined) objects.set(storedNameOf(created.text), storedNameOf(renamed(created, rules.id)));
  }
  const objectTopics = new Map<string, string>();
  const rewritten = statements.map((statement) => ({ ...statement, text: rewrite(statement, objects, topics, objectTopics, rules) }));
  return { statements: rewritten, objects, topics, objectTopics };
}

function rewrite(
  statement: SqlStatement,
  objects: Map<string, string>,
  topics: Map<string, string>,
  objectTopics: Map<string, string>,
  rules: KsqlNamespaceRules,
): string {
  const tokens = tokenize(statement.text);
  const significant = tokens.filter(isSignificant);
  const created = createdName(statement);
  const createsTopic = created !== undefined && (AS_SELECT.test(statement.text) || hasProperty(significant, "PARTITIONS"));
  let explicitTopic: string | undefined;
  const out = tokens.map((token) => {
    const at = significant.indexOf(token);
    if (at === -1) return token.text;
    const previous = significant[at - 1];
    const next = significant[at + 1];
    if ((token.kind === "word" || token.kind === "quoted") && objects.has(storedNameOf(token.text))) {
      const inSourcePosition = previous?.kind === "word" && SOURCE_POSITION.has(previous.text.toUpperCase());
      if (inSourcePosition || next?.text === ".") return renamed(token, rules.id);
    }
    if (token.kind === "string" && previous?.text === "=" && significant[at - 2]?.text.toUpperCase() === "KAFKA_TOPIC") {
      explicitTopic = namespacedTopic(unquote(token), createsTopic, topics, rules, statement);
      return quote(explicitTopic, "'");
    }
    return token.text;
  });
  if (created !== undefined) {
    const object = objects.get(storedNameOf(created.text)) ?? storedNameOf(created.text);
    // A created stream or table without KAFKA_TOPIC writes to a topic named like itself (upper case).
    if (createsTopic && explicitTopic === undefined) {
      if (rules.prefixedTopicsOnly) {
        throw new NamespacingError(
          `${statement.source}:${statement.line}`,
          `${storedNameOf(created.text)} creates its topic without KAFKA_TOPIC, so the topic would be named ${object}, ` +
            `outside the run's prefix ${rules.id} that the cluster's ACLs grant`,
          `name the topic: WITH (KAFKA_TOPIC = '${storedNameOf(created.text).toLowerCase()}', …)`,
        );
      }
      topics.set(storedNameOf(created.text), object);
    }
    objectTopics.set(object, explicitTopic ?? object);
  }
  return out.join("");
}

function namespacedTopic(
  topic: string,
  createsTopic: boolean,
  topics: Map<string, string>,
  rules: KsqlNamespaceRules,
  statement: SqlStatement,
): string {
  const known = topics.get(topic);
  if (known !== undefined && !createsTopic) return known;
  if (createsTopic) {
    // Prefixed, so that the run's topics share a prefix an existing cluster's ACLs can grant.
    const scenarioTopic = `${rules.id}_${topic}`;
    topics.set(topic, scenarioTopic);
    return scenarioTopic;
  }
  const captured = [...rules.sourceTopics.keys()];
  throw new NamespacingError(
    `${statement.source}:${statement.line}`,
    `KAFKA_TOPIC '${topic}' is neither the topic of a captured table (${captured.join(", ") || "none"}) nor created by these statements, ` +
      "so every scenario would share it",
    "capture its table in the source connector (table.include.list), or create the topic here (PARTITIONS=n, or AS SELECT)",
  );
}

/**
 * The stream or table a statement creates, its name as ksqlDB stores it, and whether a query writes it
 * (CREATE … AS SELECT); undefined for other statements.
 */
export function createdSource(statement: SqlStatement): { readonly storedName: string; readonly asSelect: boolean } | undefined {
  const created = createdName(statement);
  return created === undefined ? undefined : { storedName: storedNameOf(created.text), asSelect: AS_SELECT.test(statement.text) };
}

/** The name token of a CREATE STREAM/TABLE statement, or undefined for other statements. */
function createdName(statement: SqlStatement): SqlToken | undefined {
  const match = CREATE.exec(statement.text);
  if (match === null) return undefined;
  const token = tokenize(statement.text.slice(match[0].length)).find(isSignificant);
  if (token === undefined || (token.kind !== "word" && token.kind !== "quoted")) {
    throw new NamespacingError(`${statement.source}:${statement.line}`, `CREATE ${match[1]} without a name`, "name the stream or table");
  }
  return token;
}

function renamed(token: SqlToken, id: string): string {
  if (token.kind === "quoted") return quote(`${unquote(token)}_${id}`, token.text[0] as "`" | '"');
  return `${token.text}_${id}`;
}

function hasProperty(significant: readonly SqlToken[], name: string): boolean {
  return significant.some((token, i) => token.kind === "word" && token.text.toUpperCase() === name && significant[i + 1]?.text === "=");
}
