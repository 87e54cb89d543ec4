import { engineClient } from "../containers/engine/engine.js";
export interface MemoryPeak {
  /** The largest sum over all containers seen in one sample. */
  readonly peakTotalBytes: number;
  /** Each container's own largest value (these peaks need not coincide). */
  readonly peakByService: Readonly<Record<string, number>>;
  readonly samples: number;
  readonly intervalMs: number;
}

interface StatsReply {
  readonly memory_stats?: { readonly usage?: number };
}

/**
 * Samples the containers' memory as the engine reports it (what `docker stats` / `podman stats` show)
 * at a fixed interval until stopped, and keeps the peaks.
 */
export class MemorySampler {
  private peakTotal = 0;
  private readonly peaks = new Map<string, number>();
  private samples = 0;
  private running = true;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly containers: Readonly<Record<string, string>>,
    private readonly intervalMs: number,
  ) {
    this.loop = this.run();
  }

  /** `containers`: service name → container id. */
  static start(containers: Readonly<Record<string, string>>, intervalMs = 1_000): MemorySampler {
    return new MemorySampler(containers, intervalMs);
  }

  async stop(): Promise<MemoryPeak> {
    this.running = false;
    await this.loop;
    return {
      peakTotalBytes: this.peakTotal,
      peakByService: Object.fromEntries(this.peaks),
      samples: this.samples,
      intervalMs: this.intervalMs,
    };
  }

  private async run(): Promise<void> {
    const docker = (await engineClient()).container.dockerode;
    while (this.running) {
      const started = Date.now();
      const usages = await Promise.all(
        Object.entries(this.containers).map(async ([service, id]) => {
          const stats = (await docker.getContainer(id).stats({ stream: false, "one-shot": true })) as StatsReply;
          return [service, stats.memory_stats?.usage ?? 0] as const;
        }),
      );
      let total = 0;
      for (const [service, bytes] of usages) {
        total += bytes;
        this.peaks.set(service, Math.max(this.peaks.get(service) ?? 0, bytes));
      }
      this.peakTotal = Math.max(this.peakTotal, total);
      this.samples++;
      const rest = this.intervalMs - (Date.now() - started);
      if (rest > 0 && this.running) await new Promise((r) => setTimeout(r, rest)); // the sampling interval, not synchronisation
    }
  }
}
