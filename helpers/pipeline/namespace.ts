import { randomBytes } from "node:crypto";

/**
 * Names of everything one scenario creates on the shared stack, so scenarios can run
 * concurrently: its own source schema, topics, replication slot, publication, connectors,
 * sink tables and ksqlDB objects.
 */
export class ScenarioNamespace {
  private constructor(
    /** Short lower-case id, e.g. `s3f9a1c`. */
    readonly id: string,
    /** What the scenario is about, for connector names and messages. */
    readonly label: string,
  ) {}

  static create(label: string, id = `s${randomBytes(3).toString("hex")}`): ScenarioNamespace {
    if (!/^[a-z][a-z0-9]{2,15}$/.test(id)) throw new Error(`namespace id '${id}' must be 3-16 lower-case letters/digits`);
    return new ScenarioNamespace(id, label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""));
  }

  /** PostgreSQL schema holding this scenario's account, bank_transaction and transaction_log. */
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

  /** A sink table name: lower-case, prefixed with the namespace id. */
  sinkTable(name: string): string {
    return `${this.id}_${name.toLowerCase()}`;
  }

  /** Suffix for ksqlDB object names (ksqlDB upper-cases them). */
  get ksqlSuffix(): string {
    return this.id.toUpperCase();
  }
}
