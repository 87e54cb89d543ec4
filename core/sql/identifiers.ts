/** A PostgreSQL identifier, quoted: any case and character kept, a `"` doubled. */
export function quotePostgresIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`. */
export function qualifiedPostgresName(schema: string, table: string): string {
  return `${quotePostgresIdentifier(schema)}.${quotePostgresIdentifier(table)}`;
}

/** An identifier as people read it: bare when PostgreSQL would read it bare the same, quoted otherwise. */
export function displayPostgresIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quotePostgresIdentifier(name);
}
