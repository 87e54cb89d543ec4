/** Spelling of stream and table names between SQL text and what ksqlDB stores and lists. */

export function dropStatement(kind: "STREAM" | "TABLE", sqlName: string, deleteTopic: boolean): string {
  return `DROP ${kind} IF EXISTS ${sqlName}${deleteTopic ? " DELETE TOPIC" : ""};`;
}

/** How ksqlDB stores a name written in SQL: back-quoted names as written, others upper-cased. */
export function storedNameOf(sqlName: string): string {
  const quoted = /^`(.*)`$/s.exec(sqlName.trim()) ?? /^"(.*)"$/s.exec(sqlName.trim());
  return quoted?.[1] ?? sqlName.trim().toUpperCase();
}

/** The SQL spelling of a stored name: quoted unless upper-case letters, digits and underscores. */
export function quoteStoredName(storedName: string): string {
  return /^[A-Z_][A-Z0-9_]*$/.test(storedName) ? storedName : `\`${storedName.replaceAll("`", "``")}\``;
}
