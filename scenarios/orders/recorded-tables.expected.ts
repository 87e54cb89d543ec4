// Recorded by `ksql-e2e record` from a run of pipeline orders: the sink tables as the run left them.
// Review the diff before you commit it: a change here is a change of what the pipeline writes.
import { column, recordedTables } from "ksql-pipeline-e2e";

export default recordedTables(import.meta.url, {
  revenue: {
    columns: { store: column.text, window_start: column.integer, orders: column.integer, revenue: column.decimal(2) },
    rows: [
      { store: "busan", window_start: Date.parse("2026-03-02T10:00:00.000Z"), orders: 1, revenue: "7.25" },
      { store: "busan", window_start: Date.parse("2026-03-02T10:20:00.000Z"), orders: 1, revenue: "4.75" },
      { store: "seoul", window_start: Date.parse("2026-03-02T10:00:00.000Z"), orders: 2, revenue: "15.50" },
      { store: "seoul", window_start: Date.parse("2026-03-02T10:10:00.000Z"), orders: 1, revenue: "20.00" },
      { store: "seoul", window_start: Date.parse("2026-03-02T10:20:00.000Z"), orders: 1, revenue: "1.10" },
    ],
  },
});
