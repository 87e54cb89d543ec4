import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { c as createTar } from "tar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addPluginFolder } from "./plugin-folder.js";

const run = promisify(execFile);

describe("plugin folders", () => {
  let root: string;
  let plugins: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "plugin-folder-"));
    plugins = join(root, "plugins");
    await mkdir(plugins);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function tree(dir: string): Promise<string[]> {
    return (await readdir(dir, { recursive: true })).map(String).sort();
  }

  it("keeps a tar.gz archive's single top folder, as Debezium packs its plugins", async () => {
    await mkdir(join(root, "src", "debezium-connector-postgres"), { recursive: true });
    await writeFile(join(root, "src", "debezium-connector-postgres", "a.jar"), "a");
    const archive = join(root, "dbz-plugin.tar.gz");
    await createTar({ gzip: true, file: archive, cwd: join(root, "src") }, ["debezium-connector-postgres"]);
    expect(await addPluginFolder(archive, plugins)).toBe("debezium-connector-postgres");
    expect(await tree(plugins)).toEqual(["debezium-connector-postgres", "debezium-connector-postgres/a.jar"]);
  });

  it("puts a zip with several root entries, a jar and a folder each into a folder of its own", async () => {
    await mkdir(join(root, "zipped"));
    await writeFile(join(root, "zipped", "one.jar"), "1");
    await writeFile(join(root, "zipped", "two.jar"), "2");
    await run("python3", [
      "-c",
      `import shutil; shutil.make_archive(${JSON.stringify(join(root, "my-smt"))}, "zip", ${JSON.stringify(join(root, "zipped"))})`,
    ]);
    await writeFile(join(root, "lonely-1.0.jar"), "jar");
    await mkdir(join(root, "my-converter"));
    await writeFile(join(root, "my-converter", "c.jar"), "c");
    expect(await addPluginFolder(join(root, "my-smt.zip"), plugins)).toBe("my-smt");
    expect(await addPluginFolder(join(root, "lonely-1.0.jar"), plugins)).toBe("lonely-1.0");
    expect(await addPluginFolder(join(root, "my-converter"), plugins)).toBe("my-converter");
    expect(await tree(plugins)).toEqual([
      "lonely-1.0",
      "lonely-1.0/lonely-1.0.jar",
      "my-converter",
      "my-converter/c.jar",
      "my-smt",
      "my-smt/one.jar",
      "my-smt/two.jar",
    ]);
  });

  it("says what is wrong with a file it cannot use", async () => {
    await writeFile(join(root, "notes.txt"), "x");
    await expect(addPluginFolder(join(root, "notes.txt"), plugins)).rejects.toThrow(
      /is not a \.zip, \.tar\.gz, \.tgz or \.jar file, nor a folder/,
    );
    await expect(addPluginFolder(join(root, "missing.jar"), plugins)).rejects.toThrow(/missing\.jar does not exist/);
  });

  it("refuses two plugins that would be the same folder of the plugin path", async () => {
    await writeFile(join(root, "x.jar"), "1");
    await mkdir(join(root, "other"));
    await writeFile(join(root, "other", "x.jar"), "2");
    await addPluginFolder(join(root, "x.jar"), plugins);
    await expect(addPluginFolder(join(root, "other", "x.jar"), plugins)).rejects.toThrow(/both be the folder 'x'/);
  });
});
