/**
 * The order to run a team's ksqlDB files in: a file that creates a stream or table comes before the files that
 * read it; otherwise the files keep their path order (the order a team numbering its files means).
 */
import type { SqlStatement } from "../../core/sql/statement-splitter.js";

export interface KsqlFile {
  readonly path: string;
  readonly statements: readonly SqlStatement[];
}

const CREATES = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(?:STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"]?(\w+)/i;
const READS = /\b(?:FROM|JOIN|INSERT\s+INTO)\s+[`"]?(\w+)/gi;

export function ksqlRunOrder(files: readonly KsqlFile[]): KsqlFile[] {
  const creatorOf = new Map<string, KsqlFile>();
  for (const file of files) {
    for (const statement of file.statements) {
      const created = CREATES.exec(statement.text)?.[1];
      if (created !== undefined && !creatorOf.has(created.toLowerCase())) creatorOf.set(created.toLowerCase(), file);
    }
  }
  const ordered: KsqlFile[] = [];
  const visiting = new Set<KsqlFile>();
  const visit = (file: KsqlFile): void => {
    if (ordered.includes(file) || visiting.has(file)) return;
    visiting.add(file);
    for (const statement of file.statements) {
      for (const match of statement.text.matchAll(READS)) {
        const creator = creatorOf.get((match[1] ?? "").toLowerCase());
        if (creator !== undefined && creator !== file) visit(creator);
      }
    }
    ordered.push(file);
  };
  [...files].sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true })).forEach(visit);
  return ordered;
}
