import { readFile } from "node:fs/promises";

/**
 * Fills `${name}` placeholders. A placeholder without a value is an error naming it and the
 * source file, so a typo never reaches a server as literal text.
 */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>, source: string): string {
  const missing = new Set<string>();
  const filled = text.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return "";
    }
    return value;
  });
  if (missing.size > 0) {
    throw new Error(`${source}: no value for placeholder(s) ${[...missing].map((m) => `\${${m}}`).join(", ")}`);
  }
  return filled;
}

export async function readTemplate(url: URL, values: Readonly<Record<string, string>>): Promise<string> {
  return fillTemplate(await readFile(url, "utf8"), values, url.pathname.split("/").slice(-2).join("/"));
}
