import { ImageName } from "testcontainers";
// testcontainers reads registry credentials (~/.docker/config.json, credential helpers) here; its package
// root does not export it, and a pull of our own (for its progress) needs the same credentials.
import { getAuthConfig } from "testcontainers/build/container-runtime/auth/get-auth-config.js";
import { describeError } from "../../core/errors.js";
import { engineClient } from "./engine.js";

export type Progress = (line: string) => void;

/** One event of an image pull's stream. */
export interface PullEvent {
  readonly id?: string;
  readonly status?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

export async function imagePresent(image: string): Promise<boolean> {
  const docker = (await engineClient()).container.dockerode;
  return docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** The image, pulled with progress when it is not here yet. */
export async function ensureImage(image: string, progress: Progress): Promise<void> {
  if (!(await imagePresent(image))) await pullImage(image, progress);
}

/**
 * Pulls an image, reporting MB done of the total every few seconds. A pull whose stream reports an error
 * (some engines answer 200 and report the failure inside) rejects with that error.
 */
export async function pullImage(image: string, progress: Progress): Promise<void> {
  const client = await engineClient();
  const docker = client.container.dockerode;
  const name = ImageName.fromString(image);
  const authconfig = await getAuthConfig(name.registry ?? client.info.containerRuntime.indexServerAddress).catch(() => undefined);
  const tracker = new PullProgress(image, progress);
  progress(`pulling ${image}`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image, authconfig ? { authconfig } : {});
  } catch (error) {
    throw new Error(`pull of ${image} failed: ${describeError(error)}`, { cause: error });
  }
  const failure = await new Promise<string | undefined>((resolve) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => resolve(error?.message ?? tracker.error),
      (event: PullEvent) => tracker.add(event),
    );
  });
  if (failure !== undefined) throw new Error(`pull of ${image} failed: ${failure}`);
  if (!(await imagePresent(image))) throw new Error(`pull of ${image} ended, but the engine has no such image`);
  progress(tracker.summary());
}

const REPORT_EVERY_MS = 5_000;

/** Sums a pull's layers into "MB done / total", at most one line every few seconds. */
export class PullProgress {
  private readonly layers = new Map<string, { current: number; total: number }>();
  private readonly startedAt: number;
  private lastReport: number;
  error: string | undefined;

  constructor(
    private readonly image: string,
    private readonly progress: Progress,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.lastReport = this.startedAt;
  }

  add(event: PullEvent): void {
    if (event.error !== undefined || event.errorDetail?.message !== undefined) this.error = event.errorDetail?.message ?? event.error;
    const { id, progressDetail: detail } = event;
    if (id !== undefined && event.status === "Downloading" && detail?.total) {
      this.layers.set(id, { current: detail.current ?? 0, total: detail.total });
    } else if (id !== undefined && /^(Download complete|Pull complete|Already exists)$/.test(event.status ?? "")) {
      const layer = this.layers.get(id);
      if (layer) layer.current = layer.total;
    }
    if (this.now() - this.lastReport >= REPORT_EVERY_MS && this.layers.size > 0) {
      this.lastReport = this.now();
      this.progress(`pulling ${this.image}: ${this.done()}`);
    }
  }

  summary(): string {
    const seconds = ((this.now() - this.startedAt) / 1000).toFixed(1);
    return `pulled ${this.image}${this.layers.size > 0 ? ` (${megabytes(this.totals().total)} MB)` : ""} in ${seconds} s`;
  }

  private done(): string {
    const { current, total } = this.totals();
    return `${megabytes(current)} / ${megabytes(total)} MB (${this.layers.size} layers)`;
  }

  private totals(): { current: number; total: number } {
    let current = 0;
    let total = 0;
    for (const layer of this.layers.values()) {
      current += layer.current;
      total += layer.total;
    }
    return { current, total };
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(0);
}
