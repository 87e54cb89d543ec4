import { access, appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { textOf } from "../../core/errors.js";
import { GITIGNORED, scaffold, ScaffoldError, SCRIPTS, TSCONFIG, VITEST_CONFIG, type ScaffoldFile } from "../init/scaffold.js";
import { classifyTeamFiles, type TeamFile } from "../init/team-files.js";

/**
 * Scaffolds a pipeline repository in the working directory: the definition of the pipeline whose files are
 * under --from (used where they are), one scenario, its recorded tables (empty until `ksql-e2e record`), the
 * vitest config, scripts and ignores. It never overwrites a file; it says what it wrote, kept and could not use.
 */
export async function init(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: "string" }, name: { type: "string" } } });
  const root = process.cwd();
  if (values.from === undefined) {
    console.error("[init] --from <folder> is needed: the folder of your pipeline's files (DDL, connector JSON, ksqlDB .sql)");
    return 2;
  }
  const from = resolve(values.from);
  if (!(await exists(from))) {
    console.error(`[init] --from ${values.from}: no such folder`);
    return 2;
  }
  const name = values.name ?? pipelineName(basename(from));
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    console.error(`[init] pipeline name '${name}' must be lower-case letters, digits and dashes: give one with --name`);
    return 2;
  }
  const files = await classifyTeamFiles(from);
  report(files, relative(root, from) || ".");
  let scaffolded: ScaffoldFile[];
  try {
    scaffolded = scaffold({ name, from: relative(root, from) || ".", files });
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`[init] nothing written: ${error.message}`);
    return 1;
  }
  const written: string[] = [];
  const kept: string[] = [];
  for (const file of [...scaffolded, { path: "vitest.config.ts", content: VITEST_CONFIG }, { path: "tsconfig.json", content: TSCONFIG }]) {
    if (await exists(resolve(root, file.path))) {
      kept.push(file.path);
      continue;
    }
    await mkdir(dirname(resolve(root, file.path)), { recursive: true });
    await writeFile(resolve(root, file.path), file.content);
    written.push(file.path);
  }
  written.push(...(await mergePackageJson(root)), ...(await extendGitignore(root)));
  console.log(`\n[init] wrote ${written.join(", ")}`);
  if (kept.length > 0) console.log(`[init] kept as they are (already there): ${kept.join(", ")}`);
  console.log(
    "\nNext: npm test. Its first run on this machine records the sink tables as the scenario's expected tables" +
      ` (scenarios/${name}/${name}.expected.ts): review them (git diff), make the story yours, commit.` +
      `\nAfter an intended change of a query: npx ksql-e2e record scenarios/${name}/${name}.test.ts, then review the diff.`,
  );
  return 0;
}

function report(files: readonly TeamFile[], from: string): void {
  const label: Record<TeamFile["kind"], string> = {
    "source-ddl": "source DDL",
    ksql: "ksqlDB statements",
    "source-connector": "Debezium source connector",
    "sink-connector": "JDBC sink connector",
    unclassified: "not used",
  };
  console.log(`[init] the files under ${from}:`);
  for (const file of files) {
    console.log(`  ${label[file.kind].padEnd(26)} ${file.path}${file.kind === "unclassified" ? `: ${file.reason}` : ""}`);
  }
}

/** Adds the scripts a pipeline repository runs (never replacing one it has), and "type": "module" when unset. */
async function mergePackageJson(root: string): Promise<string[]> {
  const path = resolve(root, "package.json");
  const manifest = (await exists(path)) ? (JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>) : { name: basename(root) };
  const scripts = { ...((manifest.scripts as Record<string, string> | undefined) ?? {}) };
  const added: string[] = [];
  for (const [script, command] of Object.entries(SCRIPTS)) {
    const current = scripts[script];
    if (current === undefined || (script === "test" && current.includes("no test specified"))) {
      scripts[script] = command;
      added.push(script);
    } else if (current !== command) {
      console.log(`[init] package.json keeps its script "${script}": ${current} (the harness's would be: ${command})`);
    }
  }
  if (manifest.type !== "module") {
    const scripts = await commonJsFiles(root);
    if (manifest.type === undefined || scripts.length === 0) {
      manifest.type = "module";
    } else {
      console.log(
        `[init] package.json keeps "type": "${textOf(manifest.type)}" for ${scripts.slice(0, 3).join(", ")}…; the scaffolded ` +
          'files are ES modules: set "type": "module" when those files allow it',
      );
    }
  }
  await writeFile(path, `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`);
  return [`package.json (${added.length > 0 ? `scripts ${added.join(", ")}` : "no new scripts"})`];
}

async function extendGitignore(root: string): Promise<string[]> {
  const path = resolve(root, ".gitignore");
  const present = (await exists(path)) ? (await readFile(path, "utf8")).split(/\r?\n/) : [];
  const missing = GITIGNORED.filter((entry) => !present.includes(entry));
  if (missing.length === 0) return [];
  const text = present.length > 0 && present.at(-1) !== "" ? `\n${missing.join("\n")}\n` : `${missing.join("\n")}\n`;
  await appendFile(path, text);
  return [`.gitignore (${missing.join(" ")})`];
}

/** The repository's own .js files (outside node_modules), which "type": "module" would change the meaning of. */
async function commonJsFiles(root: string, dir = root): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) {
      found.push(...(await commonJsFiles(root, resolve(dir, entry.name))));
    } else if (entry.isFile() && entry.name.endsWith(".js")) {
      found.push(relative(root, resolve(dir, entry.name)));
    }
  }
  return found;
}

function pipelineName(folder: string): string {
  return folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
