import { connect, createServer } from "node:net";
import { engineInfo } from "./engine.js";

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
export async function publishPorts(hostConfig: { PortBindings?: PortBindings }): Promise<void> {
  const address = (await engineInfo()).publishAddress;
  if (address === undefined) return;
  const bindings = hostConfig.PortBindings ?? {};
  const taken = new Set<number>();
  for (const [containerPort, hosts] of Object.entries(bindings)) {
    const chosen = hosts?.[0]?.HostPort;
    const hostPort = chosen && chosen !== "0" ? Number(chosen) : await freePortOn(address, taken);
    taken.add(hostPort);
    bindings[containerPort] = [{ HostIp: address, HostPort: String(hostPort) }];
  }
  hostConfig.PortBindings = bindings;
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
