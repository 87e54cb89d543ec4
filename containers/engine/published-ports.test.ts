import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { freePortOn, probeUnusedPort } from "./published-ports.js";

describe("choosing host ports to publish on", () => {
  it("binds-tests an address of this machine and never returns a port already taken", async () => {
    const port = await freePortOn("127.0.0.1");
    expect(port).toBeGreaterThan(0);
    const again = await freePortOn("127.0.0.1", new Set([port]));
    expect(again).not.toBe(port);
  });

  it("where it cannot bind (the gateway of a job container's host), takes a port that refuses connections", async () => {
    const port = await probeUnusedPort("127.0.0.1", new Set());
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(32_000);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    expect(refused).toBe(true);
  });
});
