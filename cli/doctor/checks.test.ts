import { describe, expect, it } from "vitest";
import { checkMemory, checkNode } from "./checks.js";

describe("doctor's checks that need no engine", () => {
  it("an old Node.js fails, with the version needed and how to get it", () => {
    const result = checkNode("20.20.2");
    expect(result).toMatchObject({ name: "Node.js", outcome: "fail" });
    expect(result.detail).toContain("needs Node.js 22.22.0 or newer");
    expect(result.detail).toContain("this is Node.js 20.20.2");
    expect(result.fix).toMatch(/nvm install 24.*actions\/setup-node/);
    expect(checkNode("22.22.0").outcome).toBe("ok");
    expect(checkNode("24.1.0").outcome).toBe("ok");
  });

  it("too little memory for the stack fails; a little more than it needs warns", () => {
    const gib = 1024 ** 3;
    expect(checkMemory(undefined, 1.5 * gib, 8 * gib)).toMatchObject({ outcome: "fail", fix: expect.stringContaining("Docker Desktop") });
    expect(checkMemory(undefined, 3 * gib, 8 * gib).outcome).toBe("warn");
    expect(checkMemory(undefined, 12 * gib, 16 * gib).outcome).toBe("ok");
  });
});
