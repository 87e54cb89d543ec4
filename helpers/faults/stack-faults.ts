import { engineClient } from "../../containers/engine/engine.js";
import { isTarget, type StackEndpoints, type StackService } from "../../containers/stack-endpoints.js";
import { containerLogTail } from "../diagnostics/container-logs.js";
import { probeService } from "../diagnostics/service-probes.js";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";

/** graceful: SIGTERM, then SIGKILL after the grace period (docker stop); kill: SIGKILL at once. */
export type StopMode = "graceful" | "kill";

/** Seconds a graceful stop waits before the engine kills: Kafka and the JVM services flush and leave their groups. */
const GRACE_SECONDS = 30;

/**
 * Services whose container's first process does not pass SIGTERM on: Kafka runs under @testcontainers/kafka's
 * `sh -c` wrapper, so `docker stop` would wait out the grace period and kill the broker. The broker's JVM is
 * signalled instead: it shuts down cleanly (a second or two), and the container ends with it.
 */
const SIGNAL_THE_JVM: ReadonlySet<StackService> = new Set(["kafka"]);
const TERMINATE_JAVA_PROCESSES =
  'for p in /proc/[0-9]*; do case "$(tr "\\0" " " < "$p/cmdline" 2>/dev/null)" in java\\ *) kill -TERM "${p#/proc/}";; esac; done';

type Container = ReturnType<Awaited<ReturnType<typeof engineClient>>["container"]["dockerode"]["getContainer"]>;

/**
 * Faults on a running stack, for any scenario: stop, start, restart (gracefully or by kill), pause and
 * unpause one service. Every start waits until the service answers again, under the timeout policy,
 * and checks that its published ports did not change (they are pinned on a local engine;
 * containers/engine/published-ports.ts), since every client of the run holds the old addresses.
 * What runs on the service (a scenario's connectors and queries) is the caller's to wait for:
 * PipelineRun.waitUntilHealthy().
 *
 * Faults act on the whole stack: scenarios that use them must not share it with others running at the
 * same time (the `faults` project runs its files one after another).
 */
export class StackFaults {
  constructor(private readonly stack: StackEndpoints) {
    if (isTarget(stack)) {
      throw new Error(
        `faults stop, kill and restart the stack's services; ${stack.network} is an existing deployment others use, ` +
          "so the harness refuses: run the faults on its own stack (unset E2E_TARGET)",
      );
    }
  }

  async restart(service: StackService, mode: StopMode = "graceful"): Promise<void> {
    await this.stop(service, mode);
    await this.start(service);
  }

  async stop(service: StackService, mode: StopMode = "graceful"): Promise<void> {
    const container = await this.container(service);
    if (mode === "kill") {
      await container.kill({ signal: "SIGKILL" });
    } else if (SIGNAL_THE_JVM.has(service)) {
      const client = await engineClient();
      await client.container.exec(container, ["sh", "-c", TERMINATE_JAVA_PROCESSES]);
    } else {
      await container.stop({ t: GRACE_SECONDS });
    }
    await waitUntil(
      async () => {
        const { State } = await container.inspect();
        return State.Running ? notYet(`state ${State.Status}`) : ready(undefined);
      },
      {
        what: `${service} to stop (${mode})`,
        expected: "the container not running",
        whereToLook: `the container engine: inspect ${this.idOf(service)}`,
        timeoutMs: (GRACE_SECONDS + 10) * 1000,
      },
    );
  }

  /** Starts a stopped service and waits until it answers, at the address the run's clients use. */
  async start(service: StackService): Promise<void> {
    const container = await this.container(service);
    await container.start();
    const expected = hostPortOf(this.stack, service);
    const published = publishedHostPorts(await container.inspect());
    if (!published.includes(expected)) {
      throw new Error(
        `${service} started again on host port(s) ${published.join(", ") || "(none)"}, not ${expected}: every client of this ` +
          "run still uses the old one. The harness pins host ports when the container engine runs on this machine; with a remote " +
          "engine (DOCKER_HOST=tcp://...), restart the whole stack instead of one service.",
      );
    }
    await this.waitUntilAnswers(service);
  }

  /** Freezes every process of the service (cgroup freezer): it holds its connections and answers nothing. */
  async pause(service: StackService): Promise<void> {
    await (await this.container(service)).pause();
  }

  async unpause(service: StackService): Promise<void> {
    await (await this.container(service)).unpause();
    await this.waitUntilAnswers(service);
  }

  /** Polls the service's own question (status's probe) until it answers; gives up when its container stops. */
  async waitUntilAnswers(service: StackService): Promise<void> {
    const container = await this.container(service);
    await waitUntil(
      async () => {
        const { State } = await container.inspect();
        if (!State.Running) {
          const logs = await containerLogTail(this.idOf(service), 30).catch(() => "(logs unavailable)");
          throw new GiveUp(`${service} stopped (exit code ${State.ExitCode}) while starting again; last log lines:\n${logs}`);
        }
        const probe = await probeService(this.stack, service, { timeoutMs: 2_000 });
        return probe.state === "answers" ? ready(undefined) : notYet(probe.detail);
      },
      {
        what: `${service} to answer again`,
        expected: "its probe answers (the question `npm run e2e -- status` asks)",
        whereToLook: `the ${service} container's log (${this.idOf(service).slice(0, 12)})`,
        timeoutMs: timeouts.containerStartupMs,
      },
    );
  }

  private idOf(service: StackService): string {
    const id = this.stack.containerIds[service];
    if (id === undefined)
      throw new Error(`the stack has no ${service} container (${service === "ksqldb" ? "ksqlDB is off" : "unknown service"})`);
    return id;
  }

  private async container(service: StackService): Promise<Container> {
    return (await engineClient()).container.dockerode.getContainer(this.idOf(service));
  }
}

/** The host port the run's clients use for the service. */
function hostPortOf(stack: StackEndpoints, service: StackService): string {
  switch (service) {
    case "postgres":
      return String(stack.postgres.fromHost.port);
    case "kafka":
      return stack.kafka.bootstrapServersFromHost.split(":").at(-1) ?? "";
    case "schemaRegistry":
      return new URL(stack.schemaRegistry.urlFromHost).port;
    case "connect":
      return new URL(stack.connect.urlFromHost).port;
    case "ksqldb":
      return stack.ksqldb.available ? new URL(stack.ksqldb.urlFromHost).port : "";
  }
}

function publishedHostPorts(inspect: { NetworkSettings: { Ports?: Record<string, Array<{ HostPort?: string }> | null> } }): string[] {
  return Object.values(inspect.NetworkSettings.Ports ?? {}).flatMap((bindings) => (bindings ?? []).map((b) => b.HostPort ?? ""));
}
