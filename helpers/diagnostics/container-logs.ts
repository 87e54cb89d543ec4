import { engineClient } from "../../containers/engine/engine.js";
/** The last `lines` lines a container printed (stdout and stderr interleaved), by container id. */
export async function containerLogTail(containerId: string, lines = 300): Promise<string> {
  const client = await engineClient();
  const raw = await client.container.dockerode
    .getContainer(containerId)
    .logs({ stdout: true, stderr: true, follow: false, tail: lines, timestamps: true });
  return demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
}

/**
 * Without a TTY the engine frames each chunk: 1 byte stream (0-2), 3 zero bytes, 4 bytes length
 * (big-endian), then the payload. With a TTY the log is plain text.
 */
export function demultiplex(raw: Buffer): string {
  if (!looksFramed(raw, 0)) return raw.toString("utf8");
  const chunks: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length && looksFramed(raw, at)) {
    const size = raw.readUInt32BE(at + 4);
    chunks.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  if (at < raw.length) chunks.push(raw.subarray(at));
  return Buffer.concat(chunks).toString("utf8");
}

function looksFramed(raw: Buffer, at: number): boolean {
  return raw.length >= at + 8 && (raw[at] ?? 9) <= 2 && raw[at + 1] === 0 && raw[at + 2] === 0 && raw[at + 3] === 0;
}
