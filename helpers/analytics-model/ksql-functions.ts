/**
 * ksqlDB scalar functions the fixture uses, reproduced bit for bit.
 */

/**
 * ROUND(DOUBLE, INT): `BigDecimal.valueOf(val).setScale(places, HALF_UP)` for positive values
 * (HALF_DOWN otherwise), then back to double. BigDecimal.valueOf goes through Double.toString, i.e. the
 * shortest decimal that round-trips, which is what JavaScript's String(number) prints too. So 0.285
 * rounds to 0.29 here and in ksqlDB, whereas Math.round(0.285 * 100) / 100 gives 0.28.
 */
export function ksqlRound(value: number, places: number): number {
  if (!Number.isFinite(value)) throw new Error(`ROUND of ${value}: ksqlDB fails on non-finite doubles`);
  if (!Number.isInteger(places) || places < 0) throw new Error(`unsupported decimal places ${places}`);
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(value)));
  if (match === null) throw new Error(`cannot read the decimal form of ${value}`);
  const [, integerDigits = "", fractionDigits = "", exponent = "0"] = match;
  const unscaled = BigInt(integerDigits + fractionDigits);
  const scale = fractionDigits.length - Number(exponent);
  if (scale <= places) return value;

  const divisor = 10n ** BigInt(scale - places);
  const twiceRemainder = 2n * (unscaled % divisor);
  const roundsUp = value > 0 ? twiceRemainder >= divisor : twiceRemainder > divisor;
  const rounded = unscaled / divisor + (roundsUp ? 1n : 0n);
  const magnitude = Number(`${rounded}e-${places}`);
  return value < 0 ? -magnitude : magnitude;
}

/**
 * MASK(STRING) with the default masks: upper-case letter -> 'X', lower-case -> 'x', decimal digit -> 'n',
 * anything else -> '-'. Like ksqlDB it walks UTF-16 units, so a surrogate pair yields two characters
 * (the pair's class, then '-' for the trailing low surrogate).
 */
export function ksqlMask(input: string): string {
  let output = "";
  for (let i = 0; i < input.length; i++) {
    const character = String.fromCodePoint(input.codePointAt(i) ?? 0);
    if (/^\p{Lu}$/u.test(character)) output += "X";
    else if (/^\p{Ll}$/u.test(character)) output += "x";
    else if (/^\p{Nd}$/u.test(character)) output += "n";
    else output += "-";
  }
  return output;
}
