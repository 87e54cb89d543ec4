import type { Admin } from "kafkajs";
import { fail } from "../../../core/errors.js";
import { timeouts } from "../../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil, type Probe } from "../../../core/wait/wait-until.js";
import { summariseTrace } from "../../connect/connect-client.js";
import { describeSinkKeys } from "../../connect/jdbc-sink.js";
import { withoutStackFrames } from "../../ksql/ksql-errors.js";
import { distinctChanges } from "../change-events.js";
import { unreadRecords, type ConsumerOfTopics } from "../drain.js";
import { topicsReadByTopology } from "../../ksql/query-topology.js";
import { queriesFeeding, type QueryLineage } from "../join-statements.js";
import type { Deployment } from "./deployment.js";
import type { RunScope } from "./run-scope.js";
import type { RunProgress } from "./run-parts.js";
import { latestEventTime, type SourceWrites } from "./source-writes.js";

/** A wait on the pipeline that became hopeless: a connector, task or query of the scenario failed. */
export class PipelineFailedError extends Error {
  constructor(
    readonly pipeline: string,
    readonly reason: string,
    waitingFor: string,
  ) {
    super(
      `pipeline ${pipeline} failed while waiting for ${waitingFor}: ${reason}\n` +
        "  where to look: the connector's status and trace (Connect REST GET /connectors/<name>/status), EXPLAIN <query> on ksqlDB, " +
        "the failure bundle",
    );
    this.name = "PipelineFailedError";
  }
}

/** Whose reading a wait waits for: the sinks or not, every query of the scenario or only those upstream of some sources. */
interface Readers {
  readonly sinks: boolean;
  readonly queriesFeeding?: readonly string[];
}

const EVERY_READER: Readers = { sinks: true };

/** How often a wait asks whether the pipeline failed (each ask is a few REST calls). */
const WATCH_INTERVAL_MS = 1_000;

/**
 * How far the run's pipeline has got: whether everything written has gone through every query and sink
 * (drain), moving stream time past every window (flush), running again after a fault (healthy), and what
 * makes waiting hopeless (a FAILED connector or task, a query in ERROR). Every wait here watches for that.
 */
export class PipelineProgress implements RunProgress {
  constructor(
    private readonly scope: RunScope,
    private readonly source: SourceWrites,
    private readonly deployment: Deployment,
  ) {}

  /**
   * What makes waiting for this scenario's data hopeless, or undefined: a connector or task of the scenario
   * FAILED (with the trace's causes, and a sink's key columns), a ksqlDB query of the scenario in ERROR.
   */
  problems = async (): Promise<string | undefined> => {
    for (const name of await this.scope.ownConnectors()) {
      const status = await this.scope.connect.status(name);
      if (status === undefined) continue;
      if (status.connector.state === "FAILED") return `connector ${name} FAILED: ${summariseTrace(status.connector.trace ?? "(no trace)")}`;
      const task = status.tasks.find((t) => t.state === "FAILED");
      if (task) {
        const keys = describeSinkKeys(await this.scope.connect.config(name).catch(() => ({})));
        return `connector ${name} task ${task.id} FAILED${keys ? ` (${keys})` : ""}: ${summariseTrace(task.trace ?? "(no trace)")}`;
      }
    }
    if (!this.deployment.ksqlDeployed) return undefined;
    for (const query of await this.scope.ownQueries()) {
      // A failing query stays RUNNING in ksqlDB 8 (its thread is replaced); EXPLAIN lists what it hit.
      const errors = (await this.scope.ksql.explainQuery(query.id)).queryErrors;
      if (query.state === "ERROR" || (query.statusCount["ERROR"] ?? 0) > 0 || errors.length > 0) {
        return `ksqlDB query ${query.id} has failed${errors.length > 0 ? `: ${withoutStackFrames(errors[0] ?? "")}` : " (state ERROR)"}`;
      }
    }
    return undefined;
  };

  /**
   * Waits until the source connector has written a change event for every write and every ksqlDB query and
   * sink connector of the scenario has committed the end of its input topics. Stops at once when one of
   * them fails, with its cause.
   */
  async waitUntilDrained(): Promise<void> {
    await this.waitUntilNothingBehind(
      `pipeline ${this.scope.name} (scenario ${this.scope.namespace.id}) to process everything written`,
      EVERY_READER,
    );
  }

  /**
   * Waits until the source connector has captured every write and the scenario's running queries have read
   * everything there is; the sinks may still be behind. A joining query started then finds its inputs complete,
   * so it merges them by event time, whichever upstream query happened to start first.
   */
  async waitUntilQueriesCaughtUp(sources: readonly string[]): Promise<void> {
    await this.waitUntilNothingBehind(
      `the ksqlDB queries writing ${sources.join(", ")} (scenario ${this.scope.namespace.id}) to read everything written`,
      { sinks: false, queriesFeeding: sources },
    );
  }

  private async waitUntilNothingBehind(what: string, readers: Readers): Promise<void> {
    const queries = readers.queriesFeeding === undefined ? "every ksqlDB query" : "every ksqlDB query upstream of them";
    await this.withAdmin((admin) =>
      waitUntil(
        this.watching(what, async () => {
          const behind = await this.behind(admin, readers);
          return behind.length === 0 ? ready(undefined) : notYet(behind.join("; "));
        }),
        {
          what,
          expected:
            `the source connector has written a change event for every write, and ${queries}${readers.sinks ? " and sink connector" : ""} ` +
            "of the scenario has committed the end of its input topics",
          whereToLook: `SHOW QUERIES / EXPLAIN on ksqlDB${readers.sinks ? ", the sink connectors' status" : ""}, the processing log`,
          timeoutMs: timeouts.dataMs,
        },
      ),
    );
  }

  /** One look: nothing uncaptured, nothing unread (no wait). */
  async isDrained(): Promise<boolean> {
    return this.withAdmin(async (admin) => (await this.behind(admin)).length === 0);
  }

  /**
   * Moves stream time past every window and join of the statements (never the wall clock, pitfall 45): once
   * everything written so far is processed, writes the definition's flush rows at the latest event time so far
   * plus the largest window or join span + grace, then waits until every query and sink has read everything.
   */
  async flush(): Promise<void> {
    const flush = this.scope.pipeline.definition.flush ?? fail(`pipeline ${this.scope.name} declares no flush (PipelineDefinition.flush)`);
    const latest =
      latestEventTime(this.source.all, flush.eventTimeColumns) ??
      fail(`nothing written to ${Object.keys(flush.eventTimeColumns).join(", ")} yet: a flush goes past the latest event time written`);
    // Everything written so far is processed first. A query that is behind (after a restart, under load) may
    // otherwise read the flush row on one input before older rows on another: Kafka Streams takes the earliest
    // record among the partitions it has buffered, so stream time would jump past windows whose other side has
    // not been read yet, and a LEFT JOIN would emit NULL rows for matches to come.
    await this.waitUntilDrained();
    await this.source.write(flush.writes(new Date(latest + this.scope.pipeline.horizonMs), this.flushRounds++));
    await this.waitUntilDrained();
  }

  private flushRounds = 0;

  /**
   * After a fault: waits until every connector the run deployed, and every ksqlDB query of its namespace,
   * runs again. A FAILED connector or task ends the wait with its trace (Connect does not restart failed tasks
   * by itself); a query in ERROR is waited on, since ksqlDB retries those.
   */
  async waitUntilHealthy(): Promise<void> {
    this.deliveryMayRepeat = true;
    for (const name of this.deployment.connectors) await this.scope.connect.waitUntilRunning(name);
    if (!this.deployment.ksqlDeployed) return;
    const expected = this.deployment.queries;
    await waitUntil(
      async () => {
        const queries = await this.scope.ownQueries();
        const notRunning = queries.filter((q) => q.state !== "RUNNING");
        if (queries.length >= expected && notRunning.length === 0) return ready(undefined);
        return notYet(
          `${queries.length} of ${expected} queries listed; not RUNNING: ${notRunning.map((q) => `${q.id} ${q.state ?? JSON.stringify(q.statusCount)}`).join(", ") || "none"}`,
        );
      },
      {
        what: `the ksqlDB queries of scenario ${this.scope.namespace.id} to run again`,
        expected: `${expected} persistent queries RUNNING`,
        whereToLook: "SHOW QUERIES; the ksqlDB server log",
        timeoutMs: timeouts.operationMs,
      },
    );
  }

  /** A probe that first asks, at most once a second, whether the pipeline failed; if so, the wait ends with why. */
  private watching<T>(what: string, probe: () => Promise<Probe<T>>): () => Promise<Probe<T>> {
    let lastWatch = 0;
    return async () => {
      if (Date.now() - lastWatch >= WATCH_INTERVAL_MS) {
        lastWatch = Date.now();
        const problem = await this.problems();
        if (problem !== undefined) throw new GiveUp(new PipelineFailedError(this.scope.name, problem, what));
      }
      return probe();
    };
  }

  /** What is not through yet: captured tables short of change events, consumers short of their topics' ends. */
  private async behind(admin: Admin, readers: Readers = EVERY_READER): Promise<string[]> {
    const uncaptured = await this.uncapturedChanges(admin);
    if (uncaptured.length > 0) return uncaptured;
    return unreadRecords(admin, await this.consumers(readers));
  }

  /**
   * Captured tables whose topic holds fewer change events than the run's writes make. After a fault, counting
   * records is not enough (a resent change counts twice): the topic's distinct changes are counted instead.
   */
  private async uncapturedChanges(admin: Admin): Promise<string[]> {
    const missing: string[] = [];
    for (const [table, expected] of this.deployment.changeEvents?.expected ?? []) {
      const topic = this.scope.topicOf(table);
      const offsets = expected === 0 ? [] : await admin.fetchTopicOffsets(topic).catch(() => []);
      const held = offsets.reduce((sum, o) => sum + Number(o.high), 0);
      if (held < expected) {
        missing.push(`source topic ${topic}: ${held} of ${expected} change events`);
      } else if (this.deliveryMayRepeat && expected > 0) {
        const distinct = distinctChanges(await this.scope.topics.readAll(topic));
        if (distinct < expected)
          missing.push(
            `source topic ${topic}: ${distinct} of ${expected} distinct changes (${held} records, some delivered again after the fault)`,
          );
      }
    }
    return missing;
  }

  /** Set once the run has come through a fault: the source connector may have resent changes since. */
  private deliveryMayRepeat = false;

  /** The consumers of the scenario's data: its sink connectors' groups and its ksqlDB queries' groups. */
  private async consumers(readers: Readers): Promise<ConsumerOfTopics[]> {
    const consumers: ConsumerOfTopics[] = [];
    for (const name of readers.sinks ? this.deployment.sinks : []) {
      const { connector } = this.scope.sinkOf(name);
      consumers.push({
        what: `sink connector ${connector.name}`,
        groupId: `connect-${connector.name}`,
        topics: [connector.config.topics ?? ""],
      });
    }
    const ksql = this.scope.pipeline.ksql;
    if (!this.deployment.ksqlDeployed || ksql === undefined) return consumers;
    const serviceId = (await this.scope.ksql.serverInfo()).ksqlServiceId;
    const queries: (QueryLineage & { readonly topology: string | undefined })[] = [];
    for (const query of await this.scope.ownQueries()) {
      const { sources, topology } = await this.scope.ksql.explainQuery(query.id);
      queries.push({ id: query.id, sources, sinks: query.sinks, topology });
    }
    const chosen = readers.queriesFeeding === undefined ? queries : queriesFeeding(readers.queriesFeeding, queries);
    for (const query of chosen) {
      const groupId = `_confluent-ksql-${serviceId}query_${query.id}`;
      const sources = query.sources.map((source) => ksql.objectTopics.get(source)).filter((t): t is string => t !== undefined);
      // The topology names the repartition topics too: the task that reads one may run on another server
      // and not have committed anything yet, so the group's committed topics alone would miss it.
      const topics = query.topology === undefined ? sources : topicsReadByTopology(query.topology, groupId, sources);
      consumers.push({ what: `ksqlDB query ${query.id}`, groupId, topics: [...new Set([...sources, ...topics])] });
    }
    return consumers;
  }

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.scope.kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
