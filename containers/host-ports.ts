import { createServer } from "node:net";
import { getContainerRuntimeClient } from "testcontainers";

type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | undefined>;

const LOOPBACK = "127.0.0.1";
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

/**
 * Publishes every port of a container on the loopback interface, at a host port chosen now, when the
 * container engine runs on this machine:
 * - nobody else on the network reaches the stack's databases and REST APIs (no credentials but the
 *   database password protect them);
 * - a restarted container keeps its host ports. Docker gives a container published on port 0 new
 *   ports at every start, and clients (and Kafka's advertised listener) would keep the old ones.
 * A remote engine (DOCKER_HOST=tcp://…) keeps its own choice of ports on all interfaces: README "Security".
 */
export async function pinHostPorts(hostConfig: { PortBindings?: PortBindings }): Promise<void> {
  if (!(await engineIsLocal())) return;
  const bindings = hostConfig.PortBindings ?? {};
  for (const [containerPort, hosts] of Object.entries(bindings)) {
    const chosen = hosts?.[0]?.HostPort;
    const hostPort = chosen && chosen !== "0" ? chosen : String(await freeLoopbackPort());
    bindings[containerPort] = [{ HostIp: LOOPBACK, HostPort: hostPort }];
  }
  hostConfig.PortBindings = bindings;
}

async function engineIsLocal(): Promise<boolean> {
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  return LOCAL_HOSTS.has(host);
}

/** A port nothing listens on now; the container's start claims it a moment later. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: LOOPBACK, port: 0 }, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port assigned"))));
    });
  });
}
