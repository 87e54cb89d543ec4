import { engineClient } from "../../containers/engine/engine.js";
export interface ExecResult {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs a command inside one of the stack's containers (by id), as another service would see the network. */
export async function execInContainer(containerId: string, command: readonly string[]): Promise<ExecResult> {
  const client = await engineClient();
  const container = client.container.getById(containerId);
  const result = await client.container.exec(container, [...command]);
  return { exitCode: result.exitCode, output: result.output };
}

/** True when `host:port` accepts a TCP connection from inside the container (bash's /dev/tcp). */
export async function canReachFrom(containerId: string, host: string, port: number): Promise<ExecResult> {
  return execInContainer(containerId, ["bash", "-c", `timeout 5 bash -c '</dev/tcp/${host}/${port}' && echo reachable`]);
}
