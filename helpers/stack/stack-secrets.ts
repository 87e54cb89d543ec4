import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { registerSecret } from "../../core/secrets.js";

/**
 * Every credential of the stack: the databases' passwords, the brokers' SASL password, the REST services' basic
 * auth passwords. Registered, they are masked in every message, log tail and bundle the harness writes.
 */
export function registerStackSecrets(stack: StackEndpoints): void {
  for (const address of [stack.postgres.fromHost, stack.postgres.inNetwork]) {
    registerSecret(address.password);
    if (address.sink) registerSecret(address.sink.password);
  }
  if (stack.kafka.security?.sasl) registerSecret(stack.kafka.security.sasl.password);
  for (const auth of [stack.schemaRegistry.auth, stack.connect.auth, stack.ksqldb.available ? stack.ksqldb.auth : undefined]) {
    if (auth) {
      registerSecret(auth.password);
      // What an Authorization header carries: an HTTP client's error may show its request's headers.
      registerSecret(Buffer.from(`${auth.username}:${auth.password}`).toString("base64"));
    }
  }
}
