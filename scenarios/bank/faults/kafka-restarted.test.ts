import { describeFault } from "./fault-story.js";

describeFault("fault: the Kafka broker is restarted", "kafka-restarted", async ({ faults, traffic }) => {
  // A graceful broker bounce, changes written while it is down: Debezium's producer holds them, then sends.
  await faults.stop("kafka", "graceful");
  await traffic(10);
  await faults.start("kafka");
});
