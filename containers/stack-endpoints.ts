import type { PipelineImages } from "./images.js";
import type { PostgresAddress } from "./postgres-container.js";

export type StackService = "postgres" | "kafka" | "schemaRegistry" | "connect" | "ksqldb";

/** HTTP basic authentication of a REST service. */
export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

/** How clients authenticate to the brokers; none: PLAINTEXT. */
export interface KafkaSecurity {
  readonly protocol: "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";
  readonly sasl?: { readonly mechanism: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512"; readonly username: string; readonly password: string };
  /** PEM text of the CA that signed the brokers' certificates (TLS). */
  readonly caPem?: string;
}

/** Everything a scenario needs to reach a running stack; plain data, so it crosses processes. */
export interface StackEndpoints {
  /**
   * "containers" (the default): a stack the harness started, all of it the run's. "target": an existing deployment
   * (E2E_TARGET) shared with others: nothing outside the run's namespaces is touched, and faults refuse to run.
   */
  readonly kind?: "containers" | "target" | "queries";
  /** What every namespace id of the run starts with (topics, connectors, schemas…): what a target's ACLs grant. */
  readonly namespacePrefix?: string;
  readonly images: PipelineImages;
  readonly network: string;
  /** Container ids by service, for exec and logs (diagnostics, in-network checks); none on a target. */
  readonly containerIds: Readonly<Partial<Record<StackService, string>>>;
  readonly postgres: { readonly fromHost: PostgresAddress; readonly inNetwork: PostgresAddress };
  readonly kafka: {
    readonly bootstrapServersFromHost: string;
    readonly bootstrapServersInNetwork: string;
    readonly security?: KafkaSecurity;
    /** Replication factor of the topics the run's connectors create. Default 1. */
    readonly replicationFactor?: number;
  };
  readonly schemaRegistry: { readonly urlFromHost: string; readonly urlInNetwork: string; readonly auth?: BasicAuth };
  readonly connect: { readonly urlFromHost: string; readonly urlInNetwork: string; readonly auth?: BasicAuth };
  readonly ksqldb:
    | { readonly available: true; readonly urlFromHost: string; readonly urlInNetwork: string; readonly auth?: BasicAuth }
    | { readonly available: false; readonly reason: string };
  /** The queries lane's engine (kind "queries"): ksqlDB's testing engine, no broker; the services above are absent. */
  readonly queryEngine?: { readonly url: string; readonly where: string };
}

/** True for an existing deployment (E2E_TARGET): shared, not the run's to restart or clean beyond its namespaces. */
export function isTarget(stack: StackEndpoints): boolean {
  return stack.kind === "target";
}

/** The queries lane: ksqlDB's testing engine instead of services; runs check the team's statements only. */
export function isQueryLane(stack: StackEndpoints): boolean {
  return stack.kind === "queries";
}
