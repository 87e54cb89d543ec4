/**
 * What a connector needs of the cluster it runs on, beyond what the team wrote: credentials for the Schema
 * Registry its converters call, and the replication factor of the topics it creates. On the harness's own stack
 * there are none (no authentication, one broker); on an existing cluster (E2E_TARGET) every connector the
 * harness deploys carries them.
 */
import type { BasicAuth } from "../../containers/stack-endpoints.js";

export interface ClusterSettings {
  /** Basic auth of the Schema Registry, for every converter that names a registry. */
  readonly registryAuth?: BasicAuth;
  /** Replication factor of the topics a source connector creates (Connect's topic.creation). */
  readonly replicationFactor?: number;
}

const REGISTRY_URL = ".schema.registry.url";

/** The config with the cluster's settings added; settings the team wrote for them are replaced. */
export function withClusterSettings(
  config: Readonly<Record<string, string>>,
  cluster: ClusterSettings,
  role: "source" | "sink",
): Record<string, string> {
  const result: Record<string, string> = { ...config };
  if (cluster.registryAuth !== undefined) {
    for (const key of Object.keys(config).filter((k) => k.endsWith(REGISTRY_URL))) {
      const converter = key.slice(0, -REGISTRY_URL.length);
      result[`${converter}.basic.auth.credentials.source`] = "USER_INFO";
      result[`${converter}.basic.auth.user.info`] = `${cluster.registryAuth.username}:${cluster.registryAuth.password}`;
    }
  }
  if (role === "source" && cluster.replicationFactor !== undefined) {
    result["topic.creation.default.replication.factor"] = String(cluster.replicationFactor);
    result["topic.creation.default.partitions"] = config["topic.creation.default.partitions"] ?? "1";
  }
  return result;
}
