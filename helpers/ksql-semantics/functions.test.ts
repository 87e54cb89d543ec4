import { describe, expect, it } from "vitest";
import { ksqlMask, ksqlRound } from "./functions.js";

describe("ksqlRound (ROUND(DOUBLE, 2))", () => {
  it.each([
    [1 / 3, 0.33],
    [2 / 3, 0.67],
    [0.125, 0.13],
    [0.625, 0.63],
    [0.005, 0.01],
    [0.995, 1],
    [0.5, 0.5],
    [1, 1],
    [0, 0],
    [1e-7, 0],
  ])("rounds %d to %d", (value, expected) => {
    expect(ksqlRound(value, 2)).toBe(expected);
  });

  it("rounds half up on the shortest decimal form, not on the binary value", () => {
    // 0.285 and 1.005 are stored slightly below the half; BigDecimal.valueOf still sees the digits 0.285.
    expect(Math.round(0.285 * 100) / 100).toBe(0.28);
    expect(ksqlRound(0.285, 2)).toBe(0.29);
    expect(ksqlRound(1.005, 2)).toBe(1.01);
  });

  it("rounds negative halves toward zero (HALF_DOWN), as ksqlDB does", () => {
    expect(ksqlRound(-0.125, 2)).toBe(-0.12);
    expect(ksqlRound(-0.126, 2)).toBe(-0.13);
  });

  it("refuses non-finite values, on which ksqlDB's ROUND fails", () => {
    expect(() => ksqlRound(Number.NaN, 2)).toThrow(/non-finite/);
  });
});

describe("ksqlMask (MASK(STRING))", () => {
  it("masks a SHA-256 hex digest character class by character class", () => {
    expect(ksqlMask("8202b6c341fe")).toBe("nnnnxnxnnnxx");
  });

  it("maps upper, lower, digits and everything else (including Hangul and spaces)", () => {
    expect(ksqlMask("Ab1-가 Z٣")).toBe("Xxn---Xn");
  });

  it("walks UTF-16 units like Java: a surrogate pair gives its class, then '-'", () => {
    expect(ksqlMask("\u{1D400}")).toBe("X-");
  });
});
