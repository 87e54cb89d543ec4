import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { stat } from "node:fs/promises";
import { getContainerRuntimeClient, type ContainerRuntimeClient } from "testcontainers";
import { describeError } from "../../core/errors.js";

/**
 * Where the engine runs, seen from the tests:
 * - local: on this machine; containers are reached on the loopback interface;
 * - in-container: on this machine's engine, from inside a container (a CI job or dev container with the
 *   engine's socket mounted): containers are reached through the bridge network's gateway;
 * - remote: on another machine (DOCKER_HOST=tcp://…): containers are reached on its address.
 */
export type EnginePlacement = "local" | "in-container" | "remote";

export interface EngineInfo {
  /** "Docker" or "Podman" (or what the engine calls itself). */
  readonly kind: string;
  readonly version: string;
  /** DOCKER_HOST, or the socket testcontainers found. */
  readonly endpoint: string;
  readonly placement: EnginePlacement;
  /** The address the tests reach published ports on. */
  readonly host: string;
  /** Where ports are published: only on `host` (loopback or the gateway); undefined on a remote engine (its choice). */
  readonly publishAddress: string | undefined;
  /** Memory the engine can give its containers, in bytes. */
  readonly memoryBytes: number;
}

/** No engine answers, or not the one DOCKER_HOST names. */
export class EngineUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(
      `${message}\n  fix: start Docker (or Podman's API service: podman system service --time=0 unix:///run/podman.sock) ` +
        'and point DOCKER_HOST at it, or unset DOCKER_HOST to use the default socket; README "Requirements".',
      options,
    );
    this.name = "EngineUnavailableError";
  }
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);
const PING_TIMEOUT_MS = 3_000;

let checked: Promise<ContainerRuntimeClient> | undefined;

/**
 * testcontainers' client of the container engine, once the engine is known to be the one DOCKER_HOST names.
 * testcontainers tries DOCKER_HOST and then falls back to other sockets, so a wrong DOCKER_HOST would
 * silently run the stack on another engine: here it fails instead, naming the variable.
 */
export function engineClient(env: NodeJS.ProcessEnv = process.env): Promise<ContainerRuntimeClient> {
  checked ??= connect(env);
  checked.catch(() => {
    checked = undefined;
  });
  return checked;
}

async function connect(env: NodeJS.ProcessEnv): Promise<ContainerRuntimeClient> {
  const dockerHost = env.DOCKER_HOST?.trim() || undefined;
  if (dockerHost !== undefined) await pingDockerHost(dockerHost);
  let client: ContainerRuntimeClient;
  try {
    client = await getContainerRuntimeClient();
  } catch (error) {
    throw new EngineUnavailableError(`no container engine answered (${describeError(error)})`, { cause: error });
  }
  if (dockerHost !== undefined) {
    const used = endpointOf(client);
    if (!sameEndpoint(dockerHost, used)) {
      throw new EngineUnavailableError(
        `DOCKER_HOST=${dockerHost}, but the engine found is ${used}: the harness never uses another engine than the one DOCKER_HOST names`,
      );
    }
  }
  return client;
}

/** What the engine is, where it runs and where its ports are published; for messages and `doctor`. */
export async function engineInfo(env: NodeJS.ProcessEnv = process.env): Promise<EngineInfo> {
  const client = await engineClient(env);
  const version = (await client.container.dockerode.version()) as { Version?: string; Components?: Array<{ Name?: string }> };
  const podman = version.Components?.some((c) => /podman/i.test(c.Name ?? "")) ?? false;
  const { host } = client.info.containerRuntime;
  const placement = placementOf(client, host);
  return {
    kind: podman ? "Podman" : "Docker",
    version: version.Version ?? String(client.info.containerRuntime.serverVersion),
    endpoint: endpointOf(client),
    placement,
    host,
    publishAddress: placement === "remote" ? undefined : publishAddressOf(client, host),
    memoryBytes: client.info.containerRuntime.memory,
  };
}

export function describeEngine(info: EngineInfo): string {
  const where = {
    local: `on this machine; ports published on ${info.publishAddress} only`,
    "in-container": `on the machine this container runs on; reached through the bridge gateway ${info.host}, ports published on it only`,
    remote:
      `REMOTE at ${info.host}: ports are published on all of its interfaces (anyone on its network reaches the ` +
      "databases and REST APIs), and a restarted service comes back on new ports (faults cannot run)",
  }[info.placement];
  return `${info.kind} ${info.version} at ${info.endpoint} (${where})`;
}

function placementOf(client: ContainerRuntimeClient, host: string): EnginePlacement {
  if (LOOPBACK_HOSTS.has(host)) return "local";
  const modem = client.container.dockerode.modem as { socketPath?: string };
  if (modem.socketPath) return "in-container";
  return isOwnAddress(host) ? "local" : "remote";
}

function publishAddressOf(client: ContainerRuntimeClient, host: string): string {
  if (LOOPBACK_HOSTS.has(host)) return "127.0.0.1";
  return client.info.containerRuntime.hostIps.find((ip) => ip.family === 4)?.address ?? host;
}

function isOwnAddress(host: string): boolean {
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === host));
}

function endpointOf(client: ContainerRuntimeClient): string {
  const modem = client.container.dockerode.modem as { socketPath?: string; host?: string; port?: string | number; protocol?: string };
  if (modem.socketPath) return `unix://${modem.socketPath}`;
  return `${modem.protocol === "https" ? "tcp" : (modem.protocol ?? "tcp")}://${modem.host}:${modem.port}`;
}

function sameEndpoint(dockerHost: string, used: string): boolean {
  const normalise = (endpoint: string) => endpoint.replace(/^(https?|tcp):\/\//, "tcp://").replace(/\/+$/, "");
  return normalise(dockerHost) === normalise(used);
}

/** Asks DOCKER_HOST itself (GET /_ping) before testcontainers could fall back to another socket. */
async function pingDockerHost(dockerHost: string): Promise<void> {
  const fail = (why: string): never => {
    throw new EngineUnavailableError(
      `DOCKER_HOST=${dockerHost} answers nothing (${why}); the harness does not fall back to another engine`,
    );
  };
  if (dockerHost.startsWith("unix://")) {
    const socketPath = dockerHost.slice("unix://".length);
    const info = await stat(socketPath).catch((error: NodeJS.ErrnoException) => fail(`${error.code ?? "error"}: no such socket`));
    if (!info.isSocket()) fail(`${socketPath} is not a socket`);
    await ping({ socketPath }).catch((error: unknown) => fail(describeError(error)));
    return;
  }
  // tcp:// with TLS (DOCKER_TLS_VERIFY) needs the client's certificates: the endpoint check after connecting covers it.
  if (/^tcp:\/\//.test(dockerHost) && !process.env.DOCKER_TLS_VERIFY) {
    const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
    await ping({ host: url.hostname, port: Number(url.port || 2375) }).catch((error: unknown) => fail(describeError(error)));
  }
}

function ping(target: { socketPath: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path: "/_ping", method: "GET", timeout: PING_TIMEOUT_MS }, (res) => {
      res.resume();
      if ((res.statusCode ?? 0) < 500) resolve();
      else reject(new Error(`GET /_ping answered ${res.statusCode}`));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}
