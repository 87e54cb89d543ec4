import { describe, expect, it } from "vitest";
import { PullProgress } from "./image-pull.js";

describe("image pull progress", () => {
  it("sums the layers into MB done of the total, at most one line every five seconds, then a summary", () => {
    let now = 0;
    const lines: string[] = [];
    const pull = new PullProgress(
      "confluentinc/cp-kafka:8.1.0",
      (line) => lines.push(line),
      () => now,
    );
    const mb = 1_048_576;
    pull.add({ id: "a", status: "Pulling fs layer" });
    pull.add({ id: "a", status: "Downloading", progressDetail: { current: 10 * mb, total: 100 * mb } });
    pull.add({ id: "b", status: "Downloading", progressDetail: { current: 5 * mb, total: 50 * mb } });
    now = 2_000;
    pull.add({ id: "a", status: "Downloading", progressDetail: { current: 40 * mb, total: 100 * mb } });
    expect(lines).toEqual([]);
    now = 5_500;
    pull.add({ id: "b", status: "Download complete" });
    now = 7_000;
    pull.add({ id: "a", status: "Downloading", progressDetail: { current: 90 * mb, total: 100 * mb } });
    expect(lines).toEqual(["pulling confluentinc/cp-kafka:8.1.0: 90 / 150 MB (2 layers)"]);
    now = 12_300;
    pull.add({ id: "a", status: "Pull complete" });
    expect(lines[1]).toBe("pulling confluentinc/cp-kafka:8.1.0: 150 / 150 MB (2 layers)");
    expect(pull.summary()).toBe("pulled confluentinc/cp-kafka:8.1.0 (150 MB) in 12.3 s");
    expect(pull.error).toBeUndefined();
  });

  it("keeps the error an engine reports inside a successful pull response", () => {
    const pull = new PullProgress("acme/nothing:1", () => undefined);
    pull.add({ errorDetail: { message: "manifest for acme/nothing:1 not found: manifest unknown" }, error: "manifest unknown" });
    expect(pull.error).toBe("manifest for acme/nothing:1 not found: manifest unknown");
  });
});
