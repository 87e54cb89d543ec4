import { randomBytes } from "node:crypto";

/**
 * Names of everything one scenario creates on the shared stack, so scenarios run concurrently on one
 * stack. The rules, in one place (README "Namespacing"), for a namespace id like `s3f9a1c`:
 *   source tables        in the PostgreSQL schema `s3f9a1c`
 *   Debezium             topic.prefix `s3f9a1c`, so topics `s3f9a1c.s3f9a1c.<table>`;
 *                        slot `s3f9a1c_slot`, publication `s3f9a1c_publication`
 *   connectors           `s3f9a1c-<scenario label>-<the team's connector name>`
 *   ksqlDB streams/tables, the topics statements create, sink tables: the team's name + `_s3f9a1c`
 */
/** What every namespace id of a run starts with, unless the stack names another (a target's namespacePrefix). */
export const DEFAULT_NAMESPACE_PREFIX = "s";

/** A prefix that leaves room for six hex digits in a 16-character id, and starts like an identifier. */
export function checkNamespacePrefix(prefix: string, where = "namespace prefix"): void {
  if (!/^[a-z][a-z0-9]{0,9}$/.test(prefix)) {
    throw new Error(`${where} '${prefix}' must be 1-10 lower-case letters and digits, starting with a letter`);
  }
}

export class ScenarioNamespace {
  private constructor(
    /** Short lower-case id, e.g. `s3f9a1c`. */
    readonly id: string,
    /** What the scenario is about, for connector names and messages. */
    readonly label: string,
  ) {}

  /** A new namespace; its id is `prefix` and six random hex digits unless given (the CLI's `--as demo`). */
  static create(label: string, id?: string, prefix = DEFAULT_NAMESPACE_PREFIX): ScenarioNamespace {
    checkNamespacePrefix(prefix);
    id ??= `${prefix}${randomBytes(3).toString("hex")}`;
    if (!/^[a-z][a-z0-9]{2,15}$/.test(id)) throw new Error(`namespace id '${id}' must be 3-16 lower-case letters/digits`);
    return new ScenarioNamespace(
      id,
      label
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
    );
  }

  /** PostgreSQL schema holding this scenario's source tables. */
  get sourceSchema(): string {
    return this.id;
  }

  /** Debezium topic.prefix: topics are `<prefix>.<schema>.<table>`. */
  get topicPrefix(): string {
    return this.id;
  }

  topicFor(table: string): string {
    return `${this.topicPrefix}.${this.sourceSchema}.${table}`;
  }

  get slotName(): string {
    return `${this.id}_slot`;
  }

  get publicationName(): string {
    return `${this.id}_publication`;
  }

  connectorName(role: string): string {
    return `${this.id}-${this.label}-${role}`;
  }

  /** The scenario's copy of a sink table, topic or ksqlDB object the team named `name`. */
  suffixed(name: string): string {
    return `${name}_${this.id}`;
  }

  /** A sink table name: lower-case, prefixed with the namespace id. */
  sinkTable(name: string): string {
    return `${this.id}_${name.toLowerCase()}`;
  }

  /** Suffix for ksqlDB object names (ksqlDB upper-cases them). */
  get ksqlSuffix(): string {
    return this.id.toUpperCase();
  }

  /** Whether a name of any kind belongs to this namespace. */
  owns(name: string): boolean {
    return name.toLowerCase().includes(this.id);
  }
}
