import { engineClient } from "../containers/engine/engine.js";
import { LABEL_TESTCONTAINERS_SESSION_ID } from "testcontainers";
import { STACK_LABEL, stackNetworkName } from "../containers/stack-labels.js";
import { removeStackLeftovers } from "../containers/stack-leftovers.js";
import { describeError } from "../core/errors.js";
import type { StackState } from "../helpers/stack/stack-state.js";

/** What identifies a stack's containers, network and volumes: a state file, or only the stack id. */
export interface StackRef {
  readonly stackId: string;
  readonly sessionId?: string | undefined;
  readonly containerIds?: readonly string[];
  readonly network?: string;
  readonly volumes?: readonly string[];
}

export interface StackResources {
  readonly containers: readonly string[];
  readonly networks: readonly string[];
  readonly volumes: readonly string[];
}

export function refOf(state: StackState): StackRef {
  return {
    stackId: state.stackId,
    sessionId: state.sessionId,
    containerIds: Object.values(state.endpoints.containerIds).filter((id): id is string => typeof id === "string"),
    network: state.endpoints.network,
    volumes: state.volumes,
  };
}

/** Anonymous volumes mounted by the containers (PostgreSQL declares one for its data). */
export async function volumesOf(containerIds: readonly string[]): Promise<string[]> {
  const docker = (await engineClient()).container.dockerode;
  const mounts = await Promise.all(containerIds.map(async (id) => (await docker.getContainer(id).inspect()).Mounts));
  return mounts
    .flat()
    .filter((m) => m.Type === "volume" && m.Name)
    .map((m) => m.Name as string);
}

/** Everything of the stack the engine still has: by recorded id, by STACK_LABEL and by testcontainers' session label. */
export async function findStackResources(ref: StackRef): Promise<StackResources> {
  const docker = (await engineClient()).container.dockerode;
  const containerLabels = [
    `${STACK_LABEL}=${ref.stackId}`,
    ...(ref.sessionId ? [`${LABEL_TESTCONTAINERS_SESSION_ID}=${ref.sessionId}`] : []),
  ];
  const containers = new Set<string>();
  for (const label of containerLabels) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [label] } })) containers.add(c.Id);
  }
  const all = await docker.listContainers({ all: true });
  for (const id of ref.containerIds ?? []) if (all.some((c) => c.Id === id)) containers.add(id);

  const networkNames = new Set([stackNetworkName(ref.stackId), ...(ref.network ? [ref.network] : [])]);
  const networks = new Set<string>();
  for (const n of await docker.listNetworks()) {
    const sessionMatch = ref.sessionId !== undefined && n.Labels?.[LABEL_TESTCONTAINERS_SESSION_ID] === ref.sessionId;
    if (networkNames.has(n.Name) || sessionMatch) networks.add(n.Name);
  }
  const existingVolumes = new Set(((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name));
  const volumes = (ref.volumes ?? []).filter((v) => existingVolumes.has(v));
  return { containers: [...containers], networks: [...networks], volumes };
}

/** Removes the stack's containers (force, with their anonymous volumes), its networks and recorded volumes. */
export async function removeStackResources(ref: StackRef): Promise<{ removed: StackResources; problems: string[] }> {
  const docker = (await engineClient()).container.dockerode;
  const found = await findStackResources(ref);
  const problems: string[] = [];
  const ignoreMissing = (what: string) => (error: unknown) => {
    if ((error as { statusCode?: unknown }).statusCode !== 404) problems.push(`${what}: ${describeError(error)}`);
  };
  await Promise.all(
    found.containers.map((id) =>
      docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch(ignoreMissing(`container ${id.slice(0, 12)}`)),
    ),
  );
  // Catches a container of the stack created after the listing above (an interrupted start), and the stack's network.
  await removeStackLeftovers(ref.stackId).catch((error: unknown) => problems.push(`stack ${ref.stackId}: ${describeError(error)}`));
  for (const name of found.networks)
    await docker
      .getNetwork(name)
      .remove()
      .catch(ignoreMissing(`network ${name}`));
  for (const name of found.volumes)
    await docker
      .getVolume(name)
      .remove()
      .catch(ignoreMissing(`volume ${name}`));
  return { removed: found, problems };
}

export function describeResources(r: StackResources): string {
  const list = (items: readonly string[], short = false) =>
    items.length === 0 ? "none" : items.map((i) => (short ? i.slice(0, 12) : i)).join(", ");
  return `containers: ${list(r.containers, true)}; networks: ${list(r.networks)}; volumes: ${list(r.volumes, true)}`;
}

export function isEmpty(r: StackResources): boolean {
  return r.containers.length === 0 && r.networks.length === 0 && r.volumes.length === 0;
}
