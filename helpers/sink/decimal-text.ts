/** Exact decimal rounding on text, so money never goes through a binary float. */

const DECIMAL_LITERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_EXPONENT = 10_000;

/**
 * Rounds a decimal literal ("100.005", "-1e3", "0.30000000000000004") to `scale` fraction digits,
 * half away from zero like PostgreSQL's numeric, and renders it with exactly `scale` digits.
 * Returns undefined when `text` is not a finite decimal (NaN, Infinity, garbage).
 */
export function roundDecimalText(text: string, scale: number): string | undefined {
  const match = DECIMAL_LITERAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign = "", wholeDigits = "", fractionDigits = "", exponentText = "0"] = match;
  if (wholeDigits === "" && fractionDigits === "") return undefined;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;

  // value × 10^scale = digits × 10^shift
  const digits = BigInt(wholeDigits + fractionDigits);
  const shift = exponent - fractionDigits.length + scale;
  let scaled: bigint;
  if (shift >= 0) {
    scaled = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    scaled = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) scaled += 1n;
  }

  const padded = scaled.toString().padStart(scale + 1, "0");
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale);
  const negative = sign === "-" && scaled !== 0n;
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}

/** The canonical text of `roundDecimalText` as an integer of units of 10^-scale, for ordering. */
export function decimalTextToUnits(canonical: string): bigint {
  return BigInt(canonical.replace(".", ""));
}
