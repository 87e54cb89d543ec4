import { describeFault } from "./fault-story.js";

describeFault("fault: the source PostgreSQL is restarted", "postgres-restarted", async ({ faults, traffic }) => {
  // The replication slot is persistent: Debezium reconnects and resumes from it. Nothing can be written
  // while the database is down, so the next changes come at once after it is back, while Debezium reconnects.
  await faults.restart("postgres", "graceful");
  await traffic(10);
});
