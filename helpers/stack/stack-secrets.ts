import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { registerSecret } from "../../core/secrets.js";

/** The stack's credentials: its PostgreSQL password (the same from the host and in the network). */
export function registerStackSecrets(stack: StackEndpoints): void {
  registerSecret(stack.postgres.fromHost.password);
  registerSecret(stack.postgres.inNetwork.password);
}
