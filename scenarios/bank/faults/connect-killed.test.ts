import { describeFault } from "./fault-story.js";

describeFault("fault: the Connect worker is killed mid-stream", "connect-killed", async ({ faults, traffic }) => {
  // Killed (SIGKILL) while changes stream: Debezium's last offsets may not cover what it already sent.
  const streaming = traffic(20, 20);
  await faults.stop("connect", "kill");
  await streaming;
  // While the worker is down, the source keeps changing; the replication slot holds the changes.
  await traffic(10);
  await faults.start("connect");
});
