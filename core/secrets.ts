export const MASK = "****";
const SECRET_SETTING = /password|secret|credential|token|user\.info|jaas/i;

const known = new Set<string>();

/** Remembers a value that must never be written out: every later redactSecrets() masks it. */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < 4) return;
  known.add(value);
  known.add(encodeURIComponent(value));
}

/** The text with every registered secret replaced by ****. */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const secret of known) redacted = redacted.split(secret).join(MASK);
  return redacted;
}

/** A connector or client configuration with the values of password-like settings masked. */
export function maskSecretSettings(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, SECRET_SETTING.test(key) ? MASK : value]));
}
