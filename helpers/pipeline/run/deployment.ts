import { fail } from "../../../core/errors.js";
import { splitStatements, type SqlStatement } from "../../../core/sql/statement-splitter.js";
import { timeouts } from "../../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../../core/wait/wait-until.js";
import type { Connector } from "../../connect/connector.js";
import type { KsqlEntity } from "../../ksql/ksql-entities.js";
import { KsqlStatementError, type ExecutedStatement } from "../../ksql/ksql-errors.js";
import { ExpectedChangeEvents } from "../change-events.js";
import { sourcesRead, startsJoiningQuery } from "../join-statements.js";
import { createdSource, namespaceKsql } from "../ksql-namespacing.js";
import type { RunScope } from "./run-scope.js";
import type { RunDeployment } from "./run-parts.js";
import type { SourceWrites } from "./source-writes.js";

/**
 * Puts the team's pipeline on the stack for one run: the source connector, the ksqlDB statements, the
 * sinks; and remembers what it deployed, for the waits and the checks after a fault.
 */
export class Deployment implements RunDeployment {
  readonly connectors = new Set<string>();
  readonly sinks = new Set<string>();
  /** Set when this run started the source connector: what its topics must hold. */
  changeEvents: ExpectedChangeEvents | undefined;
  ksqlDeployed = false;
  /** How many persistent queries the run's statements started: what must run again after a fault. */
  queries = 0;

  constructor(
    private readonly scope: RunScope,
    private readonly source: SourceWrites,
    /** Waits until the run's queries upstream of these sources have read everything written (PipelineProgress). */
    private readonly queriesCaughtUp: (sources: readonly string[]) => Promise<void>,
  ) {}

  /**
   * Deploys the team's Debezium source connector and waits until it streams: connector and task RUNNING and
   * the replication slot active (writes made before that may never be captured; pitfall 46).
   */
  async startSource(): Promise<Connector> {
    const { connector, tables } = this.scope.pipeline.source;
    const events = new ExpectedChangeEvents(connector.config, tables);
    for (const table of tables) events.snapshot(table, await this.source.rowCount(table));
    this.changeEvents = events;
    this.source.onWrite((write) => events.written(write));
    await this.deploy(connector);
    const slot = this.scope.namespace.slotName;
    await waitUntil(
      async () => {
        const { rows } = await this.scope.sourcePool.query<{ active: boolean }>(
          "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
          [slot],
        );
        return rows[0]?.active ? ready(undefined) : notYet(rows.length === 0 ? "slot does not exist yet" : "slot exists but is inactive");
      },
      {
        what: `replication slot '${slot}' of connector '${connector.name}' to be active`,
        expected: "pg_replication_slots.active = true",
        whereToLook: `SELECT * FROM pg_replication_slots; ${this.scope.connect.baseUrl}/connectors/${connector.name}/status`,
        timeoutMs: timeouts.operationMs,
      },
    );
    return connector;
  }

  /**
   * Runs the team's ksqlDB statements, namespaced, in order. CREATE STREAM without columns infers its schema
   * from the registry, so it waits first until every captured table it reads has a record on its topic. A
   * statement ksqlDB refuses fails naming the statements of the files that ran before it (still in effect).
   */
  async deployKsql(): Promise<void> {
    const ksql = this.ksqlOfPipeline();
    const read = this.scope.pipeline.source.tables.filter((table) =>
      ksql.teamStatements.some((s) => s.text.includes(`.${this.scope.pipeline.source.teamSchema}.${table}'`)),
    );
    await Promise.all(read.map((table) => this.scope.topics.waitUntilTopicHolds(this.scope.topicOf(table), 1)));
    await this.scope.ksql.waitUntilReady();
    this.ksqlDeployed = true;
    await this.executeInOrder(ksql.statements);
    this.queries = (await this.scope.ownQueries()).length;
  }

  /**
   * Runs statements written with the team's names, namespaced as the team's files are (a stream re-created
   * after a schema change, a query added): names the files create get the scenario's suffix.
   */
  async executeKsql(text: string, source = `scenario ${this.scope.namespace.id}`): Promise<KsqlEntity[]> {
    const ksql = this.ksqlOfPipeline();
    const extra = splitStatements(text, source);
    const all = namespaceKsql([...ksql.teamStatements, ...extra], {
      id: this.scope.namespace.id,
      sourceTopics: this.scope.pipeline.source.topics,
    });
    return this.executeInOrder(all.statements.slice(ksql.teamStatements.length));
  }

  /**
   * Drops streams and tables the team's files create and runs the files' own CREATE statements for them again:
   * how a stream declared without columns picks up a source schema that changed (ksqlDB keeps the schema it
   * inferred, and CREATE OR REPLACE cannot change a STRUCT). `teamNames` in creation order; they are dropped in
   * reverse, each query's output topic with it (DELETE TOPIC), then created in file order, so the queries read
   * their inputs again from the earliest offset.
   */
  async recreateKsql(teamNames: readonly string[]): Promise<void> {
    const ksql = this.ksqlOfPipeline();
    const client = this.scope.ksql;
    const wanted = new Set(teamNames.map((n) => n.toUpperCase()));
    const creating = ksql.statements.flatMap((statement, index) => {
      const team = ksql.teamStatements[index];
      const created = team === undefined ? undefined : createdSource(team);
      return created !== undefined && wanted.has(created.storedName.toUpperCase()) ? [{ statement, created }] : [];
    });
    const missing = [...wanted].filter((name) => !creating.some((s) => s.created.storedName.toUpperCase() === name));
    if (missing.length > 0)
      throw new Error(
        `pipeline ${this.scope.name}'s statements create no ${missing.join(", ")} (they create: ${[...ksql.objects.keys()].join(", ")})`,
      );
    for (const { created } of [...creating].reverse()) {
      const stored = this.scope.ksqlObject(created.storedName);
      const description = await client.describeSource(stored);
      const drop = description.type.toUpperCase() === "TABLE" ? client.dropTable.bind(client) : client.dropStream.bind(client);
      await drop(stored, { deleteTopic: created.asSelect });
    }
    await this.executeInOrder(creating.map(({ statement }) => statement));
    this.queries = (await this.scope.ownQueries()).length;
  }

  /** Deploys the definition's sink connectors (all, or the ones named) and waits until they run. */
  async startSinks(names: readonly string[]): Promise<void> {
    const chosen = names.length > 0 ? names : [...this.scope.pipeline.sinks.keys()];
    for (const name of chosen) {
      const sink = this.scope.sinkOf(name);
      if (sink.origin === "derived") {
        console.log(
          `[pipeline ${this.scope.name}] sink ${name}: ${sink.where} is not a ${this.scope.stack.images.jdbcSink} JDBC sink (E2E_JDBC_SINK); ` +
            "deploying the same sink (topic, table, keys, deletes) as one",
        );
      }
      await this.deploy(sink.connector);
      this.sinks.add(name);
    }
  }

  /**
   * Moves a sink past records it cannot write (a poison record, after the source is fixed): stops the
   * connector, sets its position on its topic's partition to `offset` (KIP-875), resumes it and waits until
   * it runs. The records before `offset` are never written by this sink.
   */
  async moveSinkTo(sink: string, offset: number, partition = 0): Promise<void> {
    const { connector } = this.scope.sinkOf(sink);
    const topic = connector.config.topics ?? fail(`sink ${sink} (${connector.name}) has no single 'topics' setting to move on`);
    const connect = this.scope.connect;
    await connect.stop(connector.name);
    await connect.alterOffsets(connector.name, {
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: partition }, offset: { kafka_offset: offset } }],
    });
    await connect.resume(connector.name);
    await connect.waitUntilRunning(connector.name);
  }

  private async deploy(connector: Connector): Promise<void> {
    this.connectors.add(connector.name);
    await this.scope.connect.createOrReplace(connector);
    await this.scope.connect.waitUntilRunning(connector.name);
  }

  /** Each statement after the one before; a refused one names those of the run that ran before it. */
  private async executeInOrder(statements: readonly SqlStatement[]): Promise<KsqlEntity[]> {
    const entities: KsqlEntity[] = [];
    const executed: ExecutedStatement[] = [];
    for (const statement of statements) {
      try {
        // A join started while a query feeding it is still reading its backlog would read one input ahead of the
        // other, and stream time would close join windows before their matches arrive: rows the same data does
        // not give on a running pipeline. Seen once in CI, in a random story spanning more than the join window.
        if (this.ksqlDeployed && startsJoiningQuery(statement)) await this.queriesCaughtUp(sourcesRead(statement));
        entities.push(...(await this.scope.ksql.execute(statement)));
      } catch (error) {
        throw error instanceof KsqlStatementError ? error.withEarlierStatements(executed) : error;
      }
      executed.push({ text: statement.text, location: `${statement.source}:${statement.line}` });
    }
    return entities;
  }

  private ksqlOfPipeline(): NonNullable<RunScope["pipeline"]["ksql"]> {
    return this.scope.pipeline.ksql ?? fail(`pipeline ${this.scope.name} has no ksqlDB statements`);
  }
}
