/**
 * The queries lane's engine: one JVM for a whole run, on the host's Java when there is one (≥ 17), else as one
 * container of the ksqlDB image itself (no broker). Either way on the image's own libraries (engine-classpath.ts).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import { freePortOn } from "../engine/published-ports.js";
import { classpathUnder, engineClasspath, LOG_CONFIG, type EngineClasspath } from "./engine-classpath.js";
import { QueryEngineContainer } from "./query-engine-container.js";

const run = promisify(execFile);
export const QUERY_ENGINE_VARIABLE = "E2E_QUERY_ENGINE";
export type QueryEngineMode = "auto" | "host" | "container";

export interface StartedQueryEngine {
  readonly url: string;
  /** Where it runs: "host JVM (…) on the libraries of <image>" or "container <id> of <image>". */
  readonly where: string;
  stop(): Promise<void>;
}

export function queryEngineModeFromEnv(env: NodeJS.ProcessEnv = process.env): QueryEngineMode {
  const value = env[QUERY_ENGINE_VARIABLE]?.trim() || "auto";
  if (value === "auto" || value === "host" || value === "container") return value;
  throw new Error(`${QUERY_ENGINE_VARIABLE}='${value}': use auto (the host's Java when there is one), host or container`);
}

export class QueryEngine {
  private mode: QueryEngineMode = queryEngineModeFromEnv();
  private threads = 2;
  private progress: (line: string) => void = () => {};

  constructor(private readonly image: string) {}

  withMode(mode: QueryEngineMode): this {
    this.mode = mode;
    return this;
  }

  withThreads(threads: number): this {
    this.threads = threads;
    return this;
  }

  withProgress(progress: (line: string) => void): this {
    this.progress = progress;
    return this;
  }

  async start(): Promise<StartedQueryEngine> {
    const classpath = await engineClasspath(this.image, this.progress);
    const java = this.mode === "container" ? undefined : await hostJava();
    if (this.mode === "host" && java === undefined) {
      throw new Error(`${QUERY_ENGINE_VARIABLE}=host, but there is no Java 17 or newer on this machine (java -version)`);
    }
    return java === undefined ? this.startContainer(classpath) : this.startHost(classpath, java);
  }

  private async startHost(classpath: EngineClasspath, java: string): Promise<StartedQueryEngine> {
    const port = await freePortOn("127.0.0.1");
    const child = spawn(
      "java",
      [
        "-Xmx1g",
        "-XX:TieredStopAtLevel=1",
        `-Dlog4j2.configurationFile=${LOG_CONFIG}`,
        "-cp",
        classpathUnder(classpath, classpath.lib, classpath.classes),
        "QueryLaneServer",
        String(port),
        String(this.threads),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const output: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await untilReady(url, child, output);
    return {
      url,
      where: `host JVM (${java}) on the libraries of ${this.image}`,
      stop: async () => {
        if (child.exitCode === null) {
          child.kill("SIGTERM");
          await new Promise((done) => child.once("exit", done));
        }
      },
    };
  }

  private async startContainer(classpath: EngineClasspath): Promise<StartedQueryEngine> {
    const container = await new QueryEngineContainer(this.image, classpath).withThreads(this.threads).start();
    return {
      url: container.url,
      where: `container ${container.getId().slice(0, 12)} of ${this.image}`,
      stop: () => container.remove(),
    };
  }
}

/** `java -version`'s first line when it is 17 or newer. */
async function hostJava(): Promise<string | undefined> {
  try {
    const { stderr } = await run("java", ["-version"]);
    const line = stderr.split("\n")[0] ?? "";
    const major = Number(/version "(\d+)/.exec(line)?.[1] ?? 0);
    return major >= 17 ? line.trim() : undefined;
  } catch {
    return undefined;
  }
}

async function untilReady(url: string, child: ChildProcess, output: readonly string[]): Promise<void> {
  await waitUntil(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`the queries lane's engine exited (code ${child.exitCode}):\n${output.join("").slice(-2000)}`);
      const answer = await fetch(`${url}/health`).catch(() => undefined);
      return answer?.ok ? ready(undefined) : notYet("not answering /health yet");
    },
    {
      what: "the queries lane's engine to answer",
      expected: "GET /health = 200",
      whereToLook: "its output above, and java -version",
      timeoutMs: timeouts.containerStartupMs,
      pollIntervalMs: 200,
    },
  );
}
