import type { PipelineImages } from "./images.js";
import type { PostgresAddress } from "./postgres-container.js";

export type StackService = "postgres" | "kafka" | "schemaRegistry" | "connect" | "ksqldb";

/** Everything a scenario needs to reach a running stack; plain data, so it crosses processes. */
export interface StackEndpoints {
  readonly images: PipelineImages;
  readonly network: string;
  /** Container ids by service, for exec and logs (diagnostics, in-network checks). */
  readonly containerIds: Readonly<Record<Exclude<StackService, "ksqldb">, string> & { ksqldb?: string }>;
  readonly postgres: { readonly fromHost: PostgresAddress; readonly inNetwork: PostgresAddress };
  readonly kafka: { readonly bootstrapServersFromHost: string; readonly bootstrapServersInNetwork: string };
  readonly schemaRegistry: { readonly urlFromHost: string; readonly urlInNetwork: string };
  readonly connect: { readonly urlFromHost: string; readonly urlInNetwork: string };
  readonly ksqldb:
    | { readonly available: true; readonly urlFromHost: string; readonly urlInNetwork: string }
    | { readonly available: false; readonly reason: string };
}
