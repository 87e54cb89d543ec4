import { connect, createServer } from "node:net";
import type { LogTail } from "../log-tail.js";
import { engineClient, engineInfo } from "./engine.js";
import { explainFailedStart } from "./failed-start.js";

type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | undefined>;

/**
 * Publishes every port of a container only on the address the tests reach it by (loopback, or the bridge
 * gateway when the tests run in a container on the engine's machine), at a host port chosen now:
 * - nobody else on the network reaches the stack's databases and REST APIs (no credentials but the
 *   database password protect them);
 * - a restarted container keeps its host ports. An engine publishing on port 0 gives a container new
 *   ports at every start, and clients (and Kafka's advertised listener) would keep the old ones.
 * A remote engine keeps its own choice of ports on all its interfaces: `describeEngine` says so.
 */
export async function publishPorts(hostConfig: HostConfig): Promise<void> {
  const address = (await engineInfo()).publishAddress;
  if (address === undefined) return;
  const bindings = hostConfig.PortBindings ?? {};
  const taken = new Set<number>(refusedPorts);
  const ours = chosenHere.get(hostConfig) ?? new Set<string>();
  for (const [containerPort, hosts] of Object.entries(bindings)) {
    const chosen = hosts?.[0]?.HostPort;
    const pinned = chosen !== undefined && chosen !== "" && chosen !== "0";
    const hostPort = pinned ? Number(chosen) : await freePortOn(address, taken);
    if (!pinned) ours.add(containerPort);
    taken.add(hostPort);
    bindings[containerPort] = [{ HostIp: address, HostPort: String(hostPort) }];
  }
  hostConfig.PortBindings = bindings;
  chosenHere.set(hostConfig, ours);
}

type HostConfig = { PortBindings?: PortBindings };

/** The container ports whose host port publishPorts chose (not the ones a caller pinned), per container config. */
const chosenHere = new WeakMap<HostConfig, Set<string>>();

/** Host ports the engine refused to this process: never chosen again. */
const refusedPorts = new Set<number>();

const PORT_CONFLICT = /port is already allocated|address already in use/i;
const START_ATTEMPTS = 3;

/**
 * Publishes the container's ports (publishPorts) and starts it. A port found free can be taken before the engine
 * claims it (by another process, or by Docker's allocator holding a port it has not released yet: moby/moby#36591):
 * then the container that failed to start is removed, and the start is tried again on other ports. Any other failure
 * is explained with what the engine knows of the container (its log and exit code: explainFailedStart).
 */
export async function startOnPublishedPorts<T>(
  hostConfig: HostConfig,
  lastCreatedContainer: () => string | undefined,
  start: () => Promise<T>,
  logTail?: LogTail,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await publishPorts(hostConfig);
    try {
      return await start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const chosen = chosenHere.get(hostConfig) ?? new Set<string>();
      if (attempt >= START_ATTEMPTS || chosen.size === 0 || !PORT_CONFLICT.test(message)) {
        throw await explainFailedStart(error, lastCreatedContainer(), logTail);
      }
      for (const port of message.matchAll(/:(\d+)(?= failed|: bind)/g)) refusedPorts.add(Number(port[1]));
      await removeContainer(lastCreatedContainer());
      for (const containerPort of chosen) hostConfig.PortBindings?.[containerPort]?.forEach((host) => (host.HostPort = "0"));
    }
  }
}

async function removeContainer(id: string | undefined): Promise<void> {
  if (id === undefined) return;
  const docker = (await engineClient()).container.dockerode;
  await docker
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch(() => undefined);
}

/**
 * A port nothing listens on at `address` now; the container's start claims it a moment later. When `address`
 * is not this machine's own (a job container reaching its host's engine through the gateway), ports are tried
 * until one refuses a connection there.
 */
export async function freePortOn(address: string, taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await bindEphemeral(address).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRNOTAVAIL") return undefined;
      throw error;
    });
    if (port === undefined) return probeUnusedPort(address, taken);
    if (!taken.has(port)) return port;
  }
  throw new Error(`no free port found on ${address}`);
}

function bindEphemeral(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: address, port: 0 }, () => {
      const bound = server.address();
      server.close(() => (typeof bound === "object" && bound ? resolve(bound.port) : reject(new Error("no port assigned"))));
    });
  });
}

const PROBE_RANGE = { from: 20_000, to: 32_000 };

export async function probeUnusedPort(address: string, taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PROBE_RANGE.from + Math.floor(Math.random() * (PROBE_RANGE.to - PROBE_RANGE.from));
    if (!taken.has(port) && (await refusesConnections(address, port))) return port;
  }
  throw new Error(
    `no port between ${PROBE_RANGE.from} and ${PROBE_RANGE.to} on ${address} refused a connection: cannot choose one to publish on`,
  );
}

function refusesConnections(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 1_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}
