import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";

/**
 * One statement at a time per ksqlDB server, across every test process of this machine. ksqlDB writes
 * each statement to its command topic in a transaction under one transactional id: two statements sent
 * at once fence each other, and the fenced one fails with HTTP 500 (seen with four scenario files on one
 * server). Retrying is not safe for every statement (DROP … DELETE TOPIC deletes the topic's schema
 * subjects before the command is written), so the harness's clients take turns instead.
 */
export async function withStatementLock<T>(serverUrl: string, work: () => Promise<T>): Promise<T> {
  const file = join(tmpdir(), `ksql-e2e-statements-${createHash("sha256").update(serverUrl).digest("hex").slice(0, 16)}`);
  const release = await lockfile.lock(file, {
    realpath: false,
    // A holder that died leaves a lock whose mtime stops moving: taken over after 10 s.
    stale: 10_000,
    retries: { retries: 10_000, factor: 1, minTimeout: 20, maxTimeout: 20 },
  });
  try {
    return await work();
  } finally {
    await release();
  }
}
