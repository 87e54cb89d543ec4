import { engineClient } from "./engine/engine.js";
import { setTimeout as pause } from "node:timers/promises";
import { type BoundPorts, type WaitStrategy } from "testcontainers";

type DockerodeContainer = Parameters<WaitStrategy["waitUntilReady"]>[0];

/** The container stopped before it was ready: its configuration or its dependencies are wrong. */
export class ContainerExitedError extends Error {
  constructor(
    readonly exitCode: number | undefined,
    readonly awaited: string,
  ) {
    super(`the container exited${exitCode === undefined ? "" : ` with code ${exitCode}`} before ${awaited}`);
    this.name = "ContainerExitedError";
  }
}

/**
 * Readiness of a REST service: GET `path` answers `statusCode` (and the body satisfies `bodyMatches`).
 * Polled every 250 ms (testcontainers polls every second), and given up at once when the container
 * exits. testcontainers' own `abortOnContainerExit` then reads the logs through a stream that can
 * leave nothing to keep Node running: a command-line process ended silently with the stack left
 * behind. Here every poll holds a timer, and the caller's log tail shows why the container stopped.
 */
export class HttpReady implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private startupTimeoutSet = false;
  private statusCode = 200;
  private bodyMatches: ((body: string) => boolean) | undefined;

  constructor(
    private readonly path: string,
    private readonly port: number,
    private readonly pollIntervalMs = 250,
  ) {}

  forStatusCode(statusCode: number): this {
    this.statusCode = statusCode;
    return this;
  }

  forResponseBody(matches: (body: string) => boolean): this {
    this.bodyMatches = matches;
    return this;
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }

  async waitUntilReady(container: DockerodeContainer, boundPorts: BoundPorts): Promise<void> {
    const host = (await engineClient()).info.containerRuntime.host;
    const url = `http://${host}:${boundPorts.getBinding(this.port)}${this.path}`;
    const awaited = `GET ${this.path} (port ${this.port}) answered ${this.statusCode}`;
    const deadline = Date.now() + this.startupTimeoutMs;
    let lastSeen = "no answer yet";
    while (Date.now() < deadline) {
      const { State: state } = await container.inspect();
      if (!state.Running && (state.Status === "exited" || state.Status === "dead")) throw new ContainerExitedError(state.ExitCode, awaited);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        const body = await response.text();
        if (response.status === this.statusCode && (this.bodyMatches?.(body) ?? true)) return;
        lastSeen = `${response.status}: ${body.slice(0, 200)}`;
      } catch (error) {
        lastSeen = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      }
      await pause(this.pollIntervalMs); // the poll interval of a readiness check
    }
    throw new Error(`${awaited.replace(" answered", " did not answer")} within ${this.startupTimeoutMs} ms (last: ${lastSeen})`);
  }
}
