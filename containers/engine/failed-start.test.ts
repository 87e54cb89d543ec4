import { describe, expect, it, vi } from "vitest";
import { LogTail } from "../log-tail.js";

const frame = (stream: 1 | 2, text: string): Buffer => {
  const body = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};
const exitedLog = Buffer.concat([frame(1, "===> Configuring ...\n"), frame(2, "KAFKA_PROCESS_ROLES is required.\n")]);

vi.mock("./engine.js", () => ({
  engineClient: () =>
    Promise.resolve({
      container: {
        dockerode: {
          getContainer: () => ({
            logs: () => Promise.resolve(exitedLog),
            inspect: () => Promise.resolve({ State: { Running: false, ExitCode: 1 } }),
          }),
        },
      },
    }),
}));

const { demultiplexed, explainFailedStart } = await import("./failed-start.js");

describe("a container that failed to start, explained from the engine", () => {
  it("reads a log without a TTY out of its stdout and stderr frames, in order", () => {
    expect(demultiplexed(exitedLog)).toBe("===> Configuring ...\nKAFKA_PROCESS_ROLES is required.");
    expect(demultiplexed(Buffer.from("plain text\n"))).toBe("plain text\n");
  });

  it("one that exited before its ports were published: says so with its exit code, and its log fills the empty tail", async () => {
    const tail = new LogTail();
    const cause = new Error("Timed out after 10000ms while waiting for container ports to be bound to the host");
    const explained = await explainFailedStart(cause, "abc", tail);
    expect((explained as Error).message).toBe(
      "the container exited with code 1 before its ports were published (Timed out after 10000ms while waiting for container ports to be bound to the host)",
    );
    expect(tail.last()).toEqual(["===> Configuring ...", "KAFKA_PROCESS_ROLES is required."]);
  });

  it("any other failure stays as it was; a tail that has lines keeps them", async () => {
    const tail = new LogTail();
    tail.append("already here\n");
    const cause = new Error("the container exited with code 1 before GET /subjects (port 8081) answered 200");
    expect(await explainFailedStart(cause, "abc", tail)).toBe(cause);
    expect(tail.last()).toEqual(["already here"]);
    expect(await explainFailedStart(cause, undefined, undefined)).toBe(cause);
  });
});
