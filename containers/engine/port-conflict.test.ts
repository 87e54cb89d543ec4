import { beforeEach, describe, expect, it, vi } from "vitest";

const removed: string[] = [];
vi.mock("./engine.js", () => ({
  engineInfo: () => Promise.resolve({ publishAddress: "127.0.0.1" }),
  engineClient: () =>
    Promise.resolve({
      container: {
        dockerode: {
          getContainer: (id: string) => ({ remove: () => Promise.resolve(void removed.push(id)) }),
        },
      },
    }),
}));

const { startOnPublishedPorts } = await import("./published-ports.js");

type HostConfig = { PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | undefined> };
const hostPortOf = (config: HostConfig, port: string): string | undefined => config.PortBindings?.[port]?.[0]?.HostPort;
const dockerRefuses = (port: string | undefined) =>
  new Error(
    `(HTTP code 500) server error - driver failed programming external connectivity on endpoint x: Bind for 127.0.0.1:${port} failed: port is already allocated`,
  );

describe("a start whose chosen port was taken meanwhile", () => {
  beforeEach(() => {
    removed.length = 0;
  });

  it("removes the container that failed to start and starts again on another port", async () => {
    const config: HostConfig = { PortBindings: { "8081/tcp": [{ HostPort: "" }] } };
    const tried: Array<string | undefined> = [];
    let created = 0;
    const started = await startOnPublishedPorts(
      config,
      () => `attempt-${created}`,
      async () => {
        created++;
        tried.push(hostPortOf(config, "8081/tcp"));
        if (tried.length === 1) throw dockerRefuses(tried[0]);
        return "started";
      },
    );
    expect(started).toBe("started");
    expect(removed).toEqual(["attempt-1"]);
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(tried[0]);
    expect(config.PortBindings?.["8081/tcp"]).toEqual([{ HostIp: "127.0.0.1", HostPort: tried[1] }]);
  });

  it("Podman's words for it count too", async () => {
    const config: HostConfig = { PortBindings: { "5432/tcp": [{ HostPort: "0" }] } };
    let attempts = 0;
    await startOnPublishedPorts(
      config,
      () => "pg",
      async () => {
        if (attempts++ === 0)
          throw new Error(`rootlessport listen tcp 127.0.0.1:${hostPortOf(config, "5432/tcp")}: bind: address already in use`);
      },
    );
    expect(attempts).toBe(2);
  });

  it("keeps a port the caller pinned, and does not try again for it", async () => {
    const config: HostConfig = { PortBindings: { "9092/tcp": [{ HostPort: "19092" }] } };
    let attempts = 0;
    const error = await startOnPublishedPorts(
      config,
      () => "kafka",
      async () => {
        attempts++;
        throw dockerRefuses("19092");
      },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/port is already allocated/);
    expect(attempts).toBe(1);
    expect(hostPortOf(config, "9092/tcp")).toBe("19092");
  });

  it("gives up after three attempts, and does not try again on any other failure", async () => {
    const config: HostConfig = { PortBindings: { "8088/tcp": [{ HostPort: "" }] } };
    let attempts = 0;
    const conflict = await startOnPublishedPorts(
      config,
      () => "ksqldb",
      async () => {
        attempts++;
        throw dockerRefuses(hostPortOf(config, "8088/tcp"));
      },
    ).catch((e: unknown) => e);
    expect((conflict as Error).message).toMatch(/port is already allocated/);
    expect(attempts).toBe(3);

    let otherAttempts = 0;
    const other = await startOnPublishedPorts(
      config,
      () => "ksqldb",
      async () => {
        otherAttempts++;
        throw new Error("container exited with code 1");
      },
    ).catch((e: unknown) => e);
    expect((other as Error).message).toBe("container exited with code 1");
    expect(otherAttempts).toBe(1);
  });
});
