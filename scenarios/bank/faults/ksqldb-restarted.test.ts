import { describeFault } from "./fault-story.js";

describeFault("fault: the ksqlDB server is restarted", "ksqldb-restarted", async ({ faults, traffic }) => {
  // The persistent queries come back from the command topic and resume from their committed offsets;
  // what arrived meanwhile waits on the topics.
  await faults.stop("ksqldb", "graceful");
  await traffic(10);
  await faults.start("ksqldb");
});
