import type { StackEndpoints } from "../../containers/stack-endpoints.js";

declare module "vitest" {
  /** What the global setup provides to every scenario: `inject("stack")`. */
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}

export type { StackEndpoints };
