/**
 * JVM settings of the stack's Java services (broker, Schema Registry, Connect, ksqlDB), for a test stack
 * of one broker on a couple of cores: bounded heaps (the images default to 1-3 GB each) and the serial
 * collector (no parallel GC threads competing for two cores). Set through each image's own variables.
 */
export const JVM_PERFORMANCE_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true";

export function heapOpts(initial: string, max: string): string {
  return `-Xms${initial} -Xmx${max}`;
}
