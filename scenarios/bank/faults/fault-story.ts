import { afterAll, beforeAll, expect, inject, it } from "vitest";
import {
  deliveredBankWrites,
  expectedCountTypeByAccount,
  expectedSuccessRatioByAccount,
  expectedTransactionVolumePerMinute,
  isJoinOrderSensitive,
  repeatedIds,
} from "../../../fixtures/bank/model/index.js";
import type { SourceWrite } from "../../../fixtures/bank/rows.js";
import { ANALYTICS_SINKS, bankPipeline, CDC_SINKS } from "../../../fixtures/bank/pipeline.js";
import { SteadyBank } from "../../../fixtures/bank/stories/steady-bank.js";
import {
  accountColumns,
  bankTransactionColumns,
  countTypeByAccountColumns,
  successRatioByAccountColumns,
  transactionLogColumns,
  transactionVolumePerMinuteColumns,
} from "../../../fixtures/bank/expected/columns.js";
import { type DeliveredChangeEvent, PipelineRun, rowsAfter } from "ksql-pipeline-e2e";
import { StackFaults } from "ksql-pipeline-e2e/faults";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

/** What a fault scenario does between "before" and "after": the fault itself, with traffic where it can flow. */
export interface FaultStep {
  readonly faults: StackFaults;
  readonly run: PipelineRun;
  /** Writes the next `transactions` of steady traffic, `perSecond` of them a second (default: as fast as it can). */
  readonly traffic: (transactions: number, perSecond?: number) => Promise<void>;
}

const BEFORE = 15;
const AFTER = 15;

/**
 * The bank pipeline under a fault, as one story: given steady traffic that the whole pipeline has
 * processed (CDC sinks and the three analytics tables), when `fault` happens (with traffic before,
 * during and after it), then nothing is lost and every sink table is exact: the CDC copies equal the
 * source, and the analytics tables equal the model over the changes as the topics delivered them
 * (Debezium is at-least-once: a change it resends after a fault is counted again by ksqlDB).
 */
export function describeFault(title: string, label: string, fault: (step: FaultStep) => Promise<void>): void {
  describeWithKsqlDb(title, () => {
    const stack = inject("stack");
    const bank = new SteadyBank();
    let run: PipelineRun;
    let transactions: DeliveredChangeEvent[];
    let logs: DeliveredChangeEvent[];

    beforeAll(
      bundleOnSetupFailure(async () => {
        run = await PipelineRun.create(stack, bankPipeline, label);
        const traffic = steadyTraffic(run, bank);
        // Given steady traffic the whole pipeline has processed
        await run.startSource();
        await traffic(BEFORE);
        await run.deployKsql();
        await run.startSinks(...CDC_SINKS, ...ANALYTICS_SINKS);
        await run.waitUntilDrained();
        // When the fault happens, with traffic where it can flow
        await fault({ faults: new StackFaults(stack), run, traffic });
        await run.waitUntilHealthy();
        // and traffic goes on after it
        await traffic(AFTER, 10);
        await run.flush();
        transactions = await run.deliveredChangeEvents("bank_transaction");
        logs = await run.deliveredChangeEvents("transaction_log");
      }),
      600_000,
    );

    afterAll(async () => {
      await run?.cleanup();
    });

    const written = (table: string) => writtenIds(run, table);

    it("nothing is lost: every written transaction and log row is on its topic", () => {
      expect(new Set(transactions.map((e) => Number(e.after?.id)))).toEqual(new Set(written("bank_transaction")));
      expect(new Set(logs.map((e) => Number(e.after?.id)))).toEqual(new Set(written("transaction_log")));
    });

    it("what at-least-once delivered twice, if anything, is a change that was written (and is reported)", () => {
      const repeated = { bank_transaction: repeatedIds(transactions), transaction_log: repeatedIds(logs) };
      console.log(`[${label}] changes delivered more than once: ${JSON.stringify(repeated)}`);
      expect(transactions.length).toBe(written("bank_transaction").length + repeated.bank_transaction.length);
      expect(logs.length).toBe(written("transaction_log").length + repeated.transaction_log.length);
    });

    it("the CDC sink tables equal the source tables (the upserting sinks absorb a repeated change)", async () => {
      const all = run.writes as readonly SourceWrite[];
      await run.expectSinkTable("account", accountColumns, rowsAfter(all, "account", ["account_id"]));
      await run.expectSinkTable("bank_transaction", bankTransactionColumns, rowsAfter(all, "bank_transaction", ["id"]));
      await run.expectSinkTable("transaction_log", transactionLogColumns, rowsAfter(all, "transaction_log", ["id"]));
    });

    it("the three analytics tables equal the model over the changes as delivered (windows and the join included)", async () => {
      const delivered = deliveredBankWrites(transactions, logs);
      const options = { delivery: "as-delivered" } as const;
      // The join's result must not hang on how its two inputs interleaved, or no exact table exists.
      expect(isJoinOrderSensitive(delivered, options)).toBe(false);
      await run.expectSinkTable("count_type_by_account", countTypeByAccountColumns, expectedCountTypeByAccount(delivered, options));
      await run.expectSinkTable(
        "success_ratio_by_account",
        successRatioByAccountColumns,
        expectedSuccessRatioByAccount(delivered, options),
      );
      await run.expectSinkTable(
        "transaction_volume_per_minute",
        transactionVolumePerMinuteColumns,
        expectedTransactionVolumePerMinute(delivered, options),
      );
    });
  });
}

/** Writes the next `count` transactions of the steady bank, `perSecond` of them a second (default: as fast as it can). */
function steadyTraffic(run: PipelineRun, bank: SteadyBank): FaultStep["traffic"] {
  return async (count, perSecond) => {
    const started = Date.now();
    for (let i = 0; i < count; i++) {
      if (perSecond !== undefined) {
        const due = started + (i * 1000) / perSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now())); // pacing the traffic, not synchronisation
      }
      await run.write(bank.next(1));
    }
  };
}

/** The ids of the rows the run wrote to a table. */
function writtenIds(run: PipelineRun, table: string): number[] {
  return (run.writes as readonly SourceWrite[]).filter((w) => w.table === table).map((w) => Number((w.row as { id?: unknown }).id));
}
