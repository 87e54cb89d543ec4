import type { LogTail } from "../log-tail.js";
import { engineClient } from "./engine.js";

/**
 * What a container whose start failed said, and how it ended, read from the engine. testcontainers attaches its
 * log consumer only once the container's ports are bound: a container that exits before that leaves the log tail
 * empty and a cause that only says the ports were never bound.
 */
export async function explainFailedStart(error: unknown, containerId: string | undefined, logTail: LogTail | undefined): Promise<unknown> {
  if (containerId === undefined) return error;
  const container = (await engineClient()).container.dockerode.getContainer(containerId);
  if (logTail !== undefined && logTail.last(1).length === 0) {
    const output = await container.logs({ stdout: true, stderr: true, tail: 200 }).catch(() => undefined);
    if (output !== undefined) logTail.append(`${demultiplexed(output)}\n`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!/ports to be bound/i.test(message)) return error;
  const state = await container.inspect().then(
    (info) => info.State,
    () => undefined,
  );
  if (state === undefined || state.Running) return error;
  return new Error(`the container exited with code ${state.ExitCode} before its ports were published (${message})`, { cause: error });
}

/** The text of a log read without a TTY: frames of an 8-byte header (stream, 3 zero bytes, big-endian length), then the bytes. */
export function demultiplexed(output: Buffer | string): string {
  if (typeof output === "string") return output;
  const looksFramed = output.length >= 8 && output[0]! <= 2 && output[1] === 0 && output[2] === 0 && output[3] === 0;
  if (!looksFramed) return output.toString("utf8");
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= output.length;) {
    const size = output.readUInt32BE(offset + 4);
    parts.push(output.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8").replace(/\n$/, "");
}
