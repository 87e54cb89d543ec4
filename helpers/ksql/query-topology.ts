/**
 * The topics a persistent query reads, from EXPLAIN's topology: every source's topics, with the repartition
 * topics Kafka Streams creates for it under their full names (`<application id>-<name>`). A repartition topic
 * is read by another task than the one that writes it, possibly on another server of the cluster, so a query
 * has read everything only when it has read these too.
 */
export function topicsReadByTopology(topology: string, applicationId: string, externalTopics: readonly string[]): string[] {
  const topics = new Set<string>();
  for (const [, list = ""] of topology.matchAll(/Source: \S+ \(topics: \[([^\]]*)\]\)/g)) {
    for (const name of list.split(",").map((t) => t.trim())) {
      if (name === "") continue;
      const internal = name.endsWith("-repartition") && !externalTopics.includes(name);
      topics.add(internal ? `${applicationId}-${name}` : name);
    }
  }
  return [...topics];
}
