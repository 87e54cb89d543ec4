import { randomBytes } from "node:crypto";

export const POSTGRES_PASSWORD_VARIABLE = "E2E_POSTGRES_PASSWORD";

/** 24 random characters, safe in URLs, connector configs and psql's pgpass file. */
export function randomPassword(): string {
  return randomBytes(18).toString("base64url");
}

/** The PostgreSQL password chosen by E2E_POSTGRES_PASSWORD, or undefined for a random one per stack. */
export function postgresPasswordFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[POSTGRES_PASSWORD_VARIABLE];
  if (value === undefined || value === "") return undefined;
  if (/[\s:\\]/.test(value) || value.length < 8) {
    throw new Error(
      `${POSTGRES_PASSWORD_VARIABLE} must be at least 8 characters without spaces, ':' or '\\' (it goes into URLs and pgpass files)`,
    );
  }
  return value;
}
