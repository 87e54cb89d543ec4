import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { loadBankAnalyticsSql, renderKsqlTemplate } from "../../fixtures/ksql/bank-analytics.js";
import {
  COUNT_TYPE_BY_ACCOUNT, FLUSH_ACCOUNT_ID, flushWrites, sinkTopicName, SUCCESS_RATIO_BY_ACCOUNT, TRANSACTION_VOLUME_PER_MINUTE,
} from "../analytics-model/index.js";
import type { SourceWrite } from "../bank/source-rows.js";
import { KsqlClient } from "../ksql/ksql-client.js";
import { readSinkTable } from "../sink/sink-reader.js";
import { timeouts } from "../wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../wait/wait-until.js";
import { CdcPipeline } from "./cdc-pipeline.js";

const ANALYTICS = [COUNT_TYPE_BY_ACCOUNT, SUCCESS_RATIO_BY_ACCOUNT, TRANSACTION_VOLUME_PER_MINUTE] as const;
const SOURCE_TABLES = ["account", "bank_transaction", "transaction_log"] as const;

/**
 * A CDC pipeline with the seed's ksqlDB queries on top and JDBC sinks on the three analytics
 * tables. All of it is namespaced by the scenario, so scenarios can share one ksqlDB server.
 */
export class KsqlPipeline {
  private readonly allWrites: SourceWrite[] = [];

  private constructor(
    readonly cdc: CdcPipeline,
    readonly ksql: KsqlClient,
  ) {}

  static async create(stack: StackEndpoints, ksqlDbUrlFromHost: string, label: string): Promise<KsqlPipeline> {
    const cdc = await CdcPipeline.create(stack, label);
    const ksql = new KsqlClient(ksqlDbUrlFromHost);
    await ksql.waitUntilReady();
    return new KsqlPipeline(cdc, ksql);
  }

  get suffix(): string {
    return this.cdc.namespace.id;
  }

  /** The sink table (= ksqlDB topic) of an analytics table in this scenario. */
  sinkTableOf(spec: { readonly baseName: string }): string {
    return sinkTopicName(spec, this.suffix);
  }

  /**
   * Given the scenario's first events: starts the Debezium source, writes them, and waits until
   * each source topic has records (CREATE STREAM infers its schema from the registry subjects).
   */
  async startWith(writes: readonly SourceWrite[]): Promise<void> {
    await this.cdc.startSourceConnector();
    await this.write(writes);
    for (const table of SOURCE_TABLES) await this.cdc.topics.waitForRecords(this.cdc.namespace.topicFor(table), 1);
  }

  async write(writes: readonly SourceWrite[]): Promise<void> {
    await this.cdc.write(writes);
    this.allWrites.push(...writes);
  }

  /** Everything written so far, flush rounds included: the model's input. */
  get writes(): readonly SourceWrite[] {
    return this.allWrites;
  }

  /** Runs the seed's statements (or a changed version of them) for this scenario. */
  async deployQueries(sqlTemplate?: string): Promise<void> {
    const variables = { SUFFIX: this.suffix, TOPIC_PREFIX: this.cdc.namespace.topicPrefix, SOURCE_SCHEMA: this.cdc.namespace.sourceSchema };
    const sql = sqlTemplate === undefined ? await loadBankAnalyticsSql(variables) : renderKsqlTemplate(sqlTemplate, variables);
    await this.ksql.runScript(sql, "fixtures/ksql/bank-analytics.sql");
  }

  /** JDBC sinks for the three analytics tables, keyed on value columns (windowed keys cannot be sink keys). */
  async sinkAnalytics(): Promise<void> {
    for (const spec of ANALYTICS) {
      const table = this.sinkTableOf(spec);
      const keyColumns: readonly string[] = spec.primaryKey;
      await this.cdc.startSink({
        topic: table, table, keyColumns, keySource: "record_value", debeziumEnvelope: false, deletes: false,
      });
    }
  }

  /**
   * Advances stream time past every window and grace period with flush events (never the wall
   * clock), so windows close and the LEFT JOIN emits its null rows. The join emits those at most
   * once per wall-clock second, so a second round follows once the first has reached the sink.
   */
  async flush(): Promise<void> {
    const countTable = this.sinkTableOf(COUNT_TYPE_BY_ACCOUNT);
    for (let round = 1; round <= 2; round++) {
      await this.write(flushWrites(this.allWrites));
      const expectedDeposits = String(round);
      await waitUntil(async () => {
        const read = await readSinkTable(this.cdc.sinkPool, {
          table: countTable, key: ["account_id"], columns: { account_id: "text", deposit_count: "integer" },
        }, { where: { column: "account_id", in: [FLUSH_ACCOUNT_ID] } });
        if (read.state !== "rows") return notYet(`sink table ${countTable}: ${read.state}`);
        return read.rows[0]?.deposit_count === expectedDeposits ? ready(undefined) : notYet(`flush row ${JSON.stringify(read.rows[0] ?? null)}`);
      }, {
        what: `flush round ${round} to reach sink table ${countTable}`,
        expected: `account ${FLUSH_ACCOUNT_ID} with deposit_count ${expectedDeposits}`,
        whereToLook: "SHOW QUERIES on ksqlDB, the sink connector status",
        timeoutMs: timeouts.dataMs,
      });
    }
  }

  async cleanup(): Promise<void> {
    const suffix = `_${this.suffix}`.toUpperCase();
    try {
      await this.ksql.dropAllFor((name) => name.toUpperCase().endsWith(suffix), { deleteTopics: true });
    } finally {
      await this.cdc.cleanup();
    }
  }
}
