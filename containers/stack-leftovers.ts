import { describeError } from "../core/errors.js";
import { notYet, ready, waitUntil } from "../core/wait/wait-until.js";
import { engineClient } from "./engine/engine.js";
import { STACK_LABEL, stackNetworkName } from "./stack-labels.js";

/**
 * Force-removes every container labelled as part of the stack, with its anonymous volumes, then the
 * stack's network. Polls until two listings in a row find nothing, so that a container whose
 * creation was in flight is caught too. Returns the ids it removed.
 */
export async function removeStackLeftovers(stackId: string): Promise<string[]> {
  const client = await engineClient();
  const docker = client.container.dockerode;
  const removed = new Set<string>();
  let quietListings = 0;
  await waitUntil(
    async () => {
      const found = await docker.listContainers({ all: true, filters: { label: [`${STACK_LABEL}=${stackId}`] } });
      if (found.length === 0) return ++quietListings >= 2 ? ready(undefined) : notYet("none left; listing once more");
      quietListings = 0;
      await Promise.allSettled(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
      for (const c of found) removed.add(c.Id);
      return notYet(`removing ${found.map((c) => c.Id.slice(0, 12)).join(", ")}`);
    },
    {
      what: `the containers of stack ${stackId} to be removed`,
      expected: `no container labelled ${STACK_LABEL}=${stackId}`,
      whereToLook: `docker (or podman) ps -a --filter label=${STACK_LABEL}=${stackId}`,
    },
  );
  try {
    await docker.getNetwork(stackNetworkName(stackId)).remove();
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode !== 404) {
      throw new Error(`network ${stackNetworkName(stackId)} of stack ${stackId} could not be removed: ${describeError(error)}`);
    }
  }
  return [...removed];
}
