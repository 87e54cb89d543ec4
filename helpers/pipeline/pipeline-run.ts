import type { Admin, Kafka } from "kafkajs";
import type pg from "pg";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { summariseTrace, type KafkaConnectClient } from "../connect/connect-client.js";
import type { Connector } from "../connect/connector.js";
import { describeSinkKeys, requireJdbcSink } from "../connect/jdbc-sink.js";
import { DEFAULT_STREAMS_PROPERTIES, KsqlClient } from "../ksql/ksql-client.js";
import type { KsqlEntity, RunningQuery } from "../ksql/ksql-entities.js";
import { withoutStackFrames } from "../ksql/ksql-errors.js";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import { SchemaRegistryClient } from "../registry/schema-registry-client.js";
import { assertSinkTableEquals, type AssertSinkTableOptions } from "../sink/assert-sink-table.js";
import type { SinkRow } from "../sink/sink-reader.js";
import type { TableSpec } from "../sink/table-spec.js";
import { connectClient, kafkaClient, postgresPool } from "../stack/clients.js";
import { WireFormatDecoder } from "../topics/record-decoder.js";
import { asChangeEvent, TopicReader, type ChangeEvent } from "../topics/topic-reader.js";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import { describeError, fail } from "../../core/errors.js";
import { namespaceEnded, namespaceStarted } from "./active-namespaces.js";
import type { PipelineDefinition } from "./definition.js";
import { ExpectedChangeEvents } from "./change-events.js";
import { unreadRecords, type ConsumerOfTopics } from "./drain.js";
import { createdSource, namespaceKsql } from "./ksql-namespacing.js";
import { loadPipeline, type LoadedPipeline } from "./load-pipeline.js";
import { ScenarioNamespace } from "./namespace.js";
import { createSourceTables } from "./source-ddl.js";
import { SourceTables, type SourceWrite } from "./source-writer.js";
import { quotePostgresIdentifier } from "../../core/sql/identifiers.js";


/**
 * Streams properties of the scenario's queries. Kafka Streams checks, at most once per wall-clock second (an
 * internal emit interval, default 1000 ms), two things that only new records move:
 * - a stream-stream outer join's expired unmatched records (the LEFT JOIN's [L, NULL] rows): a flush that
 *   arrives within a second of the join's last records advanced stream time but emitted nothing, and the NULL
 *   rows never came (measured here: missing in 2 of 2 runs with the story and the flush written back to back,
 *   present in 2 of 2 with 0);
 * - EMIT FINAL's closed windows: a window closed by a record within a second of the last check waits for the
 *   next record a second later (measured here: a window table emitted nothing for a story processed at once).
 * With 0 every record checks, so a flush emits what it closes. The server cannot be given these internal
 * settings through its KSQL_* variables; per request it can.
 */
export const QUERY_PROPERTIES = {
  ...DEFAULT_STREAMS_PROPERTIES,
  "ksql.streams.__emit.interval.ms.kstreams.outer.join.spurious.results.fix__": 0,
  "ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": 0,
} as const;

/** A Debezium change event, its source block (position in the source's log: lsn for PostgreSQL) and its topic offset. */
export interface DeliveredChangeEvent extends ChangeEvent {
  readonly source: Readonly<Record<string, unknown>>;
  readonly offset: string;
}

export interface PipelineRunOptions {
  /** Changes the team's ksqlDB statements before they are namespaced: a query change under test. */
  readonly rewriteKsql?: (text: string, file: string) => string;
  /** Changes the team's source connector settings before they are namespaced: a connector change under test. */
  readonly rewriteSourceConfig?: (config: Readonly<Record<string, string>>) => Record<string, string>;
  /** A fixed namespace id (the CLI's `--as demo`); default a random one. */
  readonly namespaceId?: string;
}

/**
 * One scenario's run of a pipeline definition on the shared stack: its own source schema and tables,
 * its copy of the team's connectors and ksqlDB statements, its sink tables. Steps, in the order a
 * story needs them: write, startSource, deployKsql, startSinks, flush; `cleanup()` removes all of it.
 */
export class PipelineRun {
  readonly source: SourceTables;
  readonly topics: TopicReader;
  readonly registry: SchemaRegistryClient;
  private readonly written: SourceWrite[] = [];
  /** Set when this run started the source connector: what its topics must hold. */
  private changeEvents: ExpectedChangeEvents | undefined;
  private readonly startedSinks = new Set<string>();
  private readonly deployedConnectors = new Set<string>();
  /** How many persistent queries the run's statements started: what must run again after a fault. */
  private deployedQueries = 0;
  private ksqlDeployed = false;
  private flushRounds = 0;

  private constructor(
    readonly stack: StackEndpoints,
    readonly namespace: ScenarioNamespace,
    readonly pipeline: LoadedPipeline,
    readonly sourcePool: pg.Pool,
    readonly sinkPool: pg.Pool,
    readonly connect: KafkaConnectClient,
    private readonly kafka: Kafka,
    private readonly ksqlClient: KsqlClient | undefined,
  ) {
    this.source = new SourceTables(sourcePool, namespace.sourceSchema);
    this.topics = new TopicReader(kafka, new WireFormatDecoder(stack.schemaRegistry.urlFromHost));
    this.registry = new SchemaRegistryClient(stack.schemaRegistry.urlFromHost);
  }

  /**
   * Reads and namespaces every file of the definition (a file that cannot be namespaced fails here,
   * before anything exists), then creates the scenario's source schema and tables.
   */
  static async create(stack: StackEndpoints, definition: PipelineDefinition, label: string, options: PipelineRunOptions = {}): Promise<PipelineRun> {
    const run = await PipelineRun.attach(stack, definition, label, options);
    try {
      const { pipeline, namespace } = run;
      await createSourceTables(run.sourcePool, pipeline.ddl.text, pipeline.ddl.where, pipeline.source.teamSchema, namespace.sourceSchema);
    } catch (error) {
      await run.cleanup().catch(() => undefined);
      throw error;
    }
    return run;
  }

  /**
   * A run whose resources may already exist (the CLI's `seed` and `remove` after `apply --as demo`):
   * the definition is loaded and namespaced, nothing is created.
   */
  static async attach(stack: StackEndpoints, definition: PipelineDefinition, label: string, options: PipelineRunOptions = {}): Promise<PipelineRun> {
    const namespace = ScenarioNamespace.create(label, options.namespaceId);
    const pipeline = await loadPipeline(definition, {
      namespace,
      database: stack.postgres.inNetwork,
      registryUrl: stack.schemaRegistry.urlInNetwork,
      stackSink: stack.images.jdbcSink,
      ...(options.rewriteKsql ? { rewriteKsql: options.rewriteKsql } : {}),
      ...(options.rewriteSourceConfig ? { rewriteSourceConfig: options.rewriteSourceConfig } : {}),
    });
    if (pipeline.ksql !== undefined && !stack.ksqldb.available) {
      throw new Error(`pipeline ${definition.name} has ksqlDB statements, but the stack has no ksqlDB: ${stack.ksqldb.reason}`);
    }
    const connect = connectClient(stack);
    if (pipeline.sinks.size > 0) await requireJdbcSink(connect, stack.images.jdbcSink);
    const run = new PipelineRun(stack, namespace, pipeline, postgresPool(stack, "source"), postgresPool(stack, "sink"), connect,
      kafkaClient(stack, namespace.id),
      stack.ksqldb.available ? new KsqlClient(stack.ksqldb.urlFromHost, { defaultStreamsProperties: QUERY_PROPERTIES }) : undefined);
    namespaceStarted(namespace.id);
    return run;
  }

  get name(): string {
    return this.pipeline.definition.name;
  }

  /** Everything written so far, flushes included, in order: a model's input. */
  get writes(): readonly SourceWrite[] {
    return this.written;
  }

  /** Writes rows to the scenario's source tables, in order. */
  async write(writes: readonly SourceWrite[]): Promise<void> {
    await this.source.apply(writes);
    this.written.push(...writes);
    for (const write of writes) this.changeEvents?.written(write);
  }

  /** A captured table's rows as the source database holds them now: what a copying sink must equal. */
  async sourceRows(table: string): Promise<Record<string, unknown>[]> {
    if (!this.pipeline.source.tables.includes(table)) {
      throw new Error(`table '${table}' is not captured by pipeline ${this.name} (captured: ${this.pipeline.source.tables.join(", ")})`);
    }
    const { rows } = await this.sourcePool.query<Record<string, unknown>>(
      `SELECT * FROM ${quotePostgresIdentifier(this.namespace.sourceSchema)}.${quotePostgresIdentifier(table)}`);
    return rows;
  }

  /**
   * Changes the captured tables' schema (ALTER TABLE …), written with the team's unqualified table names:
   * it runs in the scenario's source schema, in one transaction. Debezium picks the change up with the
   * next change event of the table.
   */
  async changeSourceSchema(ddl: string): Promise<void> {
    const client = await this.sourcePool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SET LOCAL search_path TO ${quotePostgresIdentifier(this.namespace.sourceSchema)}`);
      await client.query(ddl);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw new Error(`source schema change refused: ${ddl.trim()}\n  ${describeError(error)}`, { cause: error });
    } finally {
      client.release();
    }
    this.source.forgetShapes();
  }

  /**
   * Deploys the team's Debezium source connector and waits until it streams: connector and task
   * RUNNING and the replication slot active (writes made before that may never be captured; pitfall 46).
   */
  async startSource(): Promise<Connector> {
    const { connector, tables } = this.pipeline.source;
    const events = new ExpectedChangeEvents(connector.config, tables);
    for (const table of tables) {
      const { rows } = await this.sourcePool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${quotePostgresIdentifier(this.namespace.sourceSchema)}.${quotePostgresIdentifier(table)}`);
      events.snapshot(table, Number(rows[0]?.n ?? 0));
    }
    this.changeEvents = events;
    await this.deploy(connector);
    const slot = this.namespace.slotName;
    await waitUntil(async () => {
      const { rows } = await this.sourcePool.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slot]);
      return rows[0]?.active ? ready(undefined) : notYet(rows.length === 0 ? "slot does not exist yet" : "slot exists but is inactive");
    }, {
      what: `replication slot '${slot}' of connector '${connector.name}' to be active`,
      expected: "pg_replication_slots.active = true",
      whereToLook: `SELECT * FROM pg_replication_slots; ${this.connect.baseUrl}/connectors/${connector.name}/status`,
      timeoutMs: timeouts.operationMs,
    });
    return connector;
  }

  /** The scenario's topic of a captured table. */
  topicOf(table: string): string {
    if (!this.pipeline.source.tables.includes(table)) {
      throw new Error(`table '${table}' is not captured by pipeline ${this.name} (captured: ${this.pipeline.source.tables.join(", ")})`);
    }
    return this.namespace.topicFor(table);
  }

  /** The scenario's name of a topic as the team's files name it. */
  topic(teamTopic: string): string {
    return this.pipeline.topics.get(teamTopic) ??
      fail(`topic '${teamTopic}' is not one of pipeline ${this.name}'s (known: ${[...this.pipeline.topics.keys()].join(", ")})`);
  }

  /** The scenario's name of a ksqlDB stream or table, as ksqlDB stores it. */
  ksqlObject(teamName: string): string {
    const objects = this.pipeline.ksql?.objects ?? new Map<string, string>();
    return objects.get(teamName) ?? objects.get(teamName.toUpperCase()) ??
      fail(`'${teamName}' is not a stream or table created by pipeline ${this.name}'s statements (known: ${[...objects.keys()].join(", ")})`);
  }

  /** The scenario's table of one of the definition's sinks. */
  sinkTable(sink: string): string {
    return this.sinkOf(sink).table;
  }

  /**
   * Runs the team's ksqlDB statements, namespaced. CREATE STREAM without columns infers its schema from
   * the registry, so it waits first until every captured table it reads has a record on its topic.
   */
  async deployKsql(): Promise<void> {
    const ksql = this.pipeline.ksql ?? fail(`pipeline ${this.name} has no ksqlDB statements`);
    const client = this.requireKsql();
    const read = this.pipeline.source.tables.filter((table) =>
      ksql.teamStatements.some((s) => s.text.includes(`.${this.pipeline.source.teamSchema}.${table}'`)));
    await Promise.all(read.map((table) => this.topics.waitUntilTopicHolds(this.topicOf(table), 1)));
    await client.waitUntilReady();
    this.ksqlDeployed = true;
    for (const statement of ksql.statements) await client.execute(statement);
    this.deployedQueries = (await this.queriesOfNamespace(client)).length;
  }

  /** The stack's ksqlDB, for what a scenario asks it directly (DESCRIBE, push queries). */
  get ksql(): KsqlClient {
    return this.requireKsql();
  }

  /**
   * Runs statements written with the team's names, namespaced as the team's files are (a stream
   * re-created after a schema change, a query added): names the files create get the scenario's suffix.
   */
  async executeKsql(text: string, source = `scenario ${this.namespace.id}`): Promise<KsqlEntity[]> {
    const ksql = this.pipeline.ksql ?? fail(`pipeline ${this.name} has no ksqlDB statements`);
    const extra = splitStatements(text, source);
    const all = namespaceKsql([...ksql.teamStatements, ...extra], { id: this.namespace.id, sourceTopics: this.pipeline.source.topics });
    const entities: KsqlEntity[] = [];
    for (const statement of all.statements.slice(ksql.teamStatements.length)) entities.push(...await this.requireKsql().execute(statement));
    return entities;
  }

  /**
   * Drops streams and tables the team's files create and runs the files' own CREATE statements for them
   * again: how a stream declared without columns picks up a source schema that changed (ksqlDB keeps the
   * schema it inferred, and CREATE OR REPLACE cannot change a STRUCT). `teamNames` in creation order;
   * they are dropped in reverse, each query's output topic with it (DELETE TOPIC), then created in file order,
   * so the queries read their inputs again from the earliest offset.
   */
  async recreateKsql(teamNames: readonly string[]): Promise<void> {
    const ksql = this.pipeline.ksql ?? fail(`pipeline ${this.name} has no ksqlDB statements`);
    const client = this.requireKsql();
    const wanted = new Set(teamNames.map((n) => n.toUpperCase()));
    const creating = ksql.statements.flatMap((statement, index) => {
      const team = ksql.teamStatements[index];
      const created = team === undefined ? undefined : createdSource(team);
      return created !== undefined && wanted.has(created.storedName.toUpperCase()) ? [{ statement, created }] : [];
    });
    const missing = [...wanted].filter((name) => !creating.some((s) => s.created.storedName.toUpperCase() === name));
    if (missing.length > 0) throw new Error(`pipeline ${this.name}'s statements create no ${missing.join(", ")} (they create: ${[...ksql.objects.keys()].join(", ")})`);
    for (const { created } of [...creating].reverse()) {
      const stored = this.ksqlObject(created.storedName);
      const description = await client.describeSource(stored);
      await (description.type.toUpperCase() === "TABLE" ? client.dropTable(stored, { deleteTopic: created.asSelect }) : client.dropStream(stored, { deleteTopic: created.asSelect }));
    }
    for (const { statement } of creating) await client.execute(statement);
    this.deployedQueries = (await this.queriesOfNamespace(client)).length;
  }

  /** Deploys the definition's sink connectors (all, or the ones named) and waits until they run. */
  async startSinks(...names: string[]): Promise<void> {
    const chosen = names.length > 0 ? names : [...this.pipeline.sinks.keys()];
    for (const name of chosen) {
      const sink = this.sinkOf(name);
      if (sink.origin === "derived") {
        console.log(`[pipeline ${this.name}] sink ${name}: ${sink.where} is not a ${this.stack.images.jdbcSink} JDBC sink (E2E_JDBC_SINK); ` +
          "deploying the same sink (topic, table, keys, deletes) as one");
      }
      await this.deploy(sink.connector);
      this.startedSinks.add(name);
    }
  }

  /**
   * Moves stream time past every window and join of the statements (never the wall clock, pitfall 45):
   * once everything written so far is processed, writes the definition's flush rows at the latest event
   * time so far plus the largest window or join span + grace, then waits until every query and sink of
   * the scenario has read everything.
   */
  async flush(): Promise<void> {
    const flush = this.pipeline.definition.flush ?? fail(`pipeline ${this.name} declares no flush (PipelineDefinition.flush)`);
    const latest = latestEventTime(this.written, flush.eventTimeColumns) ??
      fail(`nothing written to ${Object.keys(flush.eventTimeColumns).join(", ")} yet: a flush goes past the latest event time written`);
    // Everything written so far is processed first. A query that is behind (after a restart, under load)
    // may otherwise read the flush row on one input before older rows on another: Kafka Streams takes
    // the earliest record among the partitions it has buffered, so stream time would jump past windows
    // whose other side has not been read yet, and a LEFT JOIN would emit NULL rows for matches to come.
    await this.waitUntilDrained();
    await this.write(flush.writes(new Date(latest + this.pipeline.horizonMs), this.flushRounds++));
    await this.waitUntilDrained();
  }

  /** Waits until the scenario's ksqlDB queries and sink connectors have read every record of their topics. */
  async waitUntilDrained(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitUntil(async () => {
        const uncaptured = await this.uncapturedChanges(admin);
        if (uncaptured.length > 0) return notYet(uncaptured.join("; "));
        const behind = await unreadRecords(admin, await this.consumers(admin));
        return behind.length === 0 ? ready(undefined) : notYet(behind.join("; "));
      }, {
        what: `pipeline ${this.name} (scenario ${this.namespace.id}) to process everything written`,
        expected: "the source connector has written a change event for every write, and every ksqlDB query and sink " +
          "connector of the scenario has committed the end of its input topics",
        whereToLook: "SHOW QUERIES / EXPLAIN on ksqlDB, the sink connectors' status, the processing log",
        timeoutMs: timeouts.dataMs,
      });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * After a fault: waits until every connector the run deployed, and every ksqlDB query of its
   * namespace, runs again. A FAILED connector or task ends the wait with its trace (Connect does not
   * restart failed tasks by itself); a query in ERROR is waited on, since ksqlDB retries those.
   */
  async waitUntilHealthy(): Promise<void> {
    for (const name of this.deployedConnectors) await this.connect.waitUntilRunning(name);
    if (!this.ksqlDeployed || !this.ksqlClient) return;
    const client = this.ksqlClient;
    const expected = this.deployedQueries;
    await waitUntil(async () => {
      const queries = await this.queriesOfNamespace(client);
      const notRunning = queries.filter((q) => q.state !== "RUNNING");
      if (queries.length >= expected && notRunning.length === 0) return ready(undefined);
      return notYet(`${queries.length} of ${expected} queries listed; not RUNNING: ${notRunning.map((q) => `${q.id} ${q.state ?? JSON.stringify(q.statusCount)}`).join(", ") || "none"}`);
    }, {
      what: `the ksqlDB queries of scenario ${this.namespace.id} to run again`,
      expected: `${expected} persistent queries RUNNING`,
      whereToLook: "SHOW QUERIES; the ksqlDB server log",
      timeoutMs: timeouts.operationMs,
    });
  }

  /**
   * The change events on a captured table's topic, in topic order, as delivered: after a fault they
   * may hold a change twice (Debezium is at-least-once; it resends what its last committed offset
   * did not cover).
   */
  async deliveredChangeEvents(table: string): Promise<DeliveredChangeEvent[]> {
    const records = await this.topics.readAll(this.topicOf(table));
    return records.flatMap((record) => {
      const event = asChangeEvent(record.value);
      const source = (record.value as { source?: Record<string, unknown> } | null)?.source ?? {};
      return event === null ? [] : [{ ...event, source, offset: record.offset }];
    });
  }

  /**
   * Moves a sink past records it cannot write (a poison record, after the source is fixed): stops the
   * connector, sets its position on its topic's partition to `offset` (KIP-875), resumes it and waits
   * until it runs. The records before `offset` are never written by this sink.
   */
  async moveSinkTo(sink: string, offset: number, partition = 0): Promise<void> {
    const { connector } = this.sinkOf(sink);
    const topic = connector.config.topics ?? fail(`sink ${sink} (${connector.name}) has no single 'topics' setting to move on`);
    await this.connect.stop(connector.name);
    await this.connect.alterOffsets(connector.name, {
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: partition }, offset: { kafka_offset: offset } }],
    });
    await this.connect.resume(connector.name);
    await this.connect.waitUntilRunning(connector.name);
  }

  /** Connector states with traces: pass as `diagnostics` to sink assertions. */
  diagnostics = async (): Promise<string> => this.connect.describeAll();

  /**
   * What makes waiting for this scenario's data hopeless, or undefined: a connector or task of the
   * scenario FAILED (with the trace's causes), a ksqlDB query of the scenario in ERROR (with its errors).
   */
  problems = async (): Promise<string | undefined> => {
    const ns = this.namespace;
    for (const name of (await this.connect.listConnectors()).filter((n) => n.startsWith(`${ns.id}-`))) {
      const status = await this.connect.status(name);
      if (status === undefined) continue;
      if (status.connector.state === "FAILED") return `connector ${name} FAILED: ${summariseTrace(status.connector.trace ?? "(no trace)")}`;
      const task = status.tasks.find((t) => t.state === "FAILED");
      if (task) {
        const keys = describeSinkKeys(await this.connect.config(name).catch(() => ({})));
        return `connector ${name} task ${task.id} FAILED${keys ? ` (${keys})` : ""}: ${summariseTrace(task.trace ?? "(no trace)")}`;
      }
    }
    if (this.ksqlDeployed && this.ksqlClient) {
      for (const query of await this.queriesOfNamespace(this.ksqlClient)) {
        // A failing query stays RUNNING in ksqlDB 8 (its thread is replaced); EXPLAIN lists what it hit.
        const errors = (await this.ksqlClient.explainQuery(query.id)).queryErrors;
        if (query.state === "ERROR" || (query.statusCount["ERROR"] ?? 0) > 0 || errors.length > 0) {
          return `ksqlDB query ${query.id} has failed${errors.length > 0 ? `: ${withoutStackFrames(errors[0] ?? "")}` : " (state ERROR)"}`;
        }
      }
    }
    return undefined;
  };

  /**
   * Asserts that a sink of the definition holds exactly `rows`: `spec` gets the scenario's table name.
   * Stops at once when the scenario's connectors or queries fail, and shows their states on failure.
   */
  async expectSinkTable(
    sink: string,
    spec: (table: string) => TableSpec,
    rows: readonly object[],
    options: AssertSinkTableOptions = {},
  ): Promise<readonly SinkRow[]> {
    return assertSinkTableEquals(this.sinkPool, spec(this.sinkTable(sink)), rows, {
      diagnostics: this.diagnostics,
      watch: this.problems,
      ...options,
    });
  }

  /**
   * Removes everything the scenario created: connectors, ksqlDB queries, streams and tables (readers
   * first, with their topics), the replication slot and publication, the source schema, sink tables,
   * topics, consumer groups and registry subjects. Reports what it could not remove. Runs once: a second
   * call (a test's cleanup, then afterAll's) gets the first one's outcome, instead of waiting out
   * deadlines on closed connections.
   */
  cleanup(): Promise<void> {
    this.cleaning ??= this.removeEverything();
    return this.cleaning;
  }

  private cleaning: Promise<void> | undefined;

  private async removeEverything(): Promise<void> {
    const problems: string[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>): Promise<void> => {
      try {
        await action();
      } catch (error) {
        problems.push(`${what}: ${describeError(error)}`);
      }
    };
    const ns = this.namespace;
    // First what reads and writes (connectors, queries); then, once they have really stopped (the slot
    // released, every consumer group empty), what they used. A task still stopping would re-create a
    // deleted topic (the broker creates topics on demand), a subject or a sink table.
    await Promise.all([
      attempt("delete connectors", async () => {
        const ours = (await this.connect.listConnectors()).filter((name) => name.startsWith(`${ns.id}-`));
        await Promise.all(ours.map((name) => this.connect.delete(name)));
      }),
      this.ksqlClient ? attempt("drop ksqlDB objects", () => this.requireKsql().dropAllFor((name) => ns.owns(name), { deleteTopics: true })) : undefined,
    ]);
    await Promise.all([
      (async () => {
        await attempt("drop replication slot", () => this.dropSlotWhenReleased());
        await attempt("drop publication", () => this.sourcePool.query(`DROP PUBLICATION IF EXISTS ${quotePostgresIdentifier(ns.publicationName)}`));
        await attempt("drop source schema", () => this.sourcePool.query(`DROP SCHEMA IF EXISTS ${quotePostgresIdentifier(ns.sourceSchema)} CASCADE`));
      })(),
      attempt("delete consumer groups", () => this.deleteConsumerGroups()),
    ]);
    await Promise.all([
      attempt("drop sink tables", () => this.dropSinkTables()),
      attempt("delete topics", () => this.deleteTopics()),
      attempt("delete registry subjects", () => this.registry.deleteSubjectsWhere((subject) => ns.owns(subject))),
    ]);
    await this.close();
    if (problems.length > 0) throw new Error(`cleanup of scenario ${ns.id} (pipeline ${this.name}) left things behind:\n${problems.join("\n")}`);
  }

  /** Whether the scenario's source schema exists (a run attached to an earlier `apply`). */
  async sourceSchemaExists(): Promise<boolean> {
    const { rows } = await this.sourcePool.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [this.namespace.sourceSchema]);
    return rows.length > 0;
  }

  /** Lets go of the run's database connections, leaving what it created in place (the CLI's long-lived runs). */
  async close(): Promise<void> {
    await Promise.allSettled([this.sourcePool.end(), this.sinkPool.end()]);
    namespaceEnded(this.namespace.id);
  }

  /** The persistent queries writing to this run's streams and tables. */
  private async queriesOfNamespace(client: KsqlClient): Promise<RunningQuery[]> {
    return (await client.listQueries()).filter((query) => query.sinks.some((sink) => this.namespace.owns(sink)));
  }

  private async deploy(connector: Connector): Promise<void> {
    this.deployedConnectors.add(connector.name);
    await this.connect.createOrReplace(connector);
    await this.connect.waitUntilRunning(connector.name);
  }

  private sinkOf(name: string) {
    return this.pipeline.sinks.get(name) ??
      fail(`pipeline ${this.name} has no sink '${name}' (sinks: ${[...this.pipeline.sinks.keys()].join(", ") || "none"})`);
  }

  private requireKsql(): KsqlClient {
    return this.ksqlClient ?? fail(`the stack has no ksqlDB: ${this.stack.ksqldb.available ? "" : this.stack.ksqldb.reason}`);
  }

  /** Captured tables whose topic holds fewer change events than the run's writes make. */
  private async uncapturedChanges(admin: Admin): Promise<string[]> {
    const missing: string[] = [];
    for (const [table, expected] of this.changeEvents?.expected ?? []) {
      const topic = this.topicOf(table);
      const offsets = expected === 0 ? [] : await admin.fetchTopicOffsets(topic).catch(() => []);
      const held = offsets.reduce((sum, o) => sum + Number(o.high), 0);
      if (held < expected) missing.push(`source topic ${topic}: ${held} of ${expected} change events`);
    }
    return missing;
  }

  /** The consumers of the scenario's data: its sink connectors' groups and its ksqlDB queries' groups. */
  private async consumers(admin: Admin): Promise<ConsumerOfTopics[]> {
    const consumers: ConsumerOfTopics[] = [];
    for (const name of this.startedSinks) {
      const sink = this.sinkOf(name);
      consumers.push({ what: `sink connector ${sink.connector.name}`, groupId: `connect-${sink.connector.name}`, topics: [sink.connector.config.topics ?? ""] });
    }
    const ksql = this.pipeline.ksql;
    if (this.ksqlDeployed && ksql && this.ksqlClient) {
      const serviceId = (await this.ksqlClient.serverInfo()).ksqlServiceId;
      const groups = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
      for (const query of await this.ksqlClient.listQueries()) {
        if (!query.sinks.some((sink) => this.namespace.owns(sink))) continue;
        const groupId = `_confluent-ksql-${serviceId}query_${query.id}`;
        if (!groups.has(groupId)) {
          consumers.push({ what: `ksqlDB query ${query.id}`, groupId, topics: [] });
          continue;
        }
        const sources = (await this.ksqlClient.explainQuery(query.id)).sources;
        const topics = sources.map((source) => ksql.objectTopics.get(source)).filter((t): t is string => t !== undefined);
        consumers.push({ what: `ksqlDB query ${query.id}`, groupId, topics });
      }
    }
    return consumers;
  }

  private async dropSlotWhenReleased(): Promise<void> {
    const slot = this.namespace.slotName;
    await waitUntil(async () => {
      const { rows } = await this.sourcePool.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slot]);
      if (rows.length === 0) return ready(undefined);
      if (rows[0]?.active) return notYet("slot still active (connector stopping)");
      await this.sourcePool.query("SELECT pg_drop_replication_slot($1)", [slot]);
      return ready(undefined);
    }, { what: `replication slot '${slot}' to be dropped`, expected: "no such slot", whereToLook: "pg_replication_slots" });
  }

  /** Every sink table named with the namespace id, in either spelling (the Confluent sink keeps case, Debezium's folds it). */
  private async dropSinkTables(): Promise<void> {
    const { rows } = await this.sinkPool.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE position($1 in lower(table_name)) > 0 AND table_schema NOT IN ('pg_catalog', 'information_schema')`, [this.namespace.id]);
    for (const row of rows) await this.sinkPool.query(`DROP TABLE IF EXISTS ${quotePostgresIdentifier(row.schema)}.${quotePostgresIdentifier(row.name)}`);
  }

  private async deleteTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // ksqlDB's internal topics of the scenario's queries (changelogs, repartitions) too: ksqlDB deletes them
      // in the background after a DROP, which can take a minute. Done when two listings in a row find none:
      // a producer still closing (a source task's last flush) makes the broker create its topic again.
      let quietListings = 0;
      await waitUntil(async () => {
        const ours = (await admin.listTopics()).filter((topic) => this.namespace.owns(topic));
        if (ours.length === 0) return ++quietListings >= 2 ? ready(undefined) : notYet("none left; listing once more");
        quietListings = 0;
        // Deleted meanwhile by ksqlDB's background cleanup: the next listing tells.
        await admin.deleteTopics({ topics: ours }).catch(() => undefined);
        return notYet(`deleting ${ours.join(", ")}`);
      }, {
        what: `the topics of scenario ${this.namespace.id} to be deleted`,
        expected: "no topic named with the namespace id, twice in a row",
        whereToLook: "the broker's topic list (kafka-topics --list), and what still writes to them",
        timeoutMs: timeouts.operationMs,
      });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Connect keeps a deleted sink's consumer group (connect-<name>) and ksqlDB a dropped query's; a group
   * can only be deleted once its members have left: a sink task once it has stopped, a ksqlDB query's
   * consumer when its session times out (KSQL_KSQL_STREAMS_SESSION_TIMEOUT_MS).
   */
  private async deleteConsumerGroups(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitUntil(async () => {
        const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => this.namespace.owns(id));
        const left: string[] = [];
        for (const group of groups) await admin.deleteGroups([group]).catch(() => left.push(group));
        return left.length === 0 ? ready(undefined) : notYet(`groups with members still: ${left.join(", ")}`);
      }, {
        what: `the consumer groups of scenario ${this.namespace.id} to be deleted`,
        expected: "no consumer group named with the namespace id",
        whereToLook: "kafka-consumer-groups --describe --group <group>",
        timeoutMs: timeouts.operationMs,
      });
    } finally {
      await admin.disconnect();
    }
  }
}

/** The latest event time among the writes, by each table's event-time column; undefined when none. */
export function latestEventTime(writes: readonly SourceWrite[], columns: Readonly<Record<string, string>>): number | undefined {
  let latest: number | undefined;
  for (const write of writes) {
    const column = columns[write.table];
    const value = column === undefined ? undefined : write.row[column];
    if (value === undefined || value === null) continue;
    const time = value instanceof Date ? value.getTime() : new Date(String(value)).getTime();
    if (!Number.isNaN(time)) latest = Math.max(latest ?? time, time);
  }
  return latest;
}
