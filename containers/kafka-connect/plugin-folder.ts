import { createWriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, normalize, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { x as extractTar } from "tar";
import yauzl from "yauzl";

/**
 * Puts a plugin into `pluginsDir` as one plugin folder (what Connect's plugin.path expects): an archive's
 * single top folder as it is (Debezium's `debezium-connector-postgres/`), an archive with several entries at
 * its root under the archive's name, a jar in a folder of its own, a folder as it is. Returns the folder's name.
 */
export async function addPluginFolder(source: string, pluginsDir: string): Promise<string> {
  const info = await stat(source).catch(() => undefined);
  if (info === undefined) throw new Error(`${source} does not exist`);
  const name = pluginName(source);
  if (info.isDirectory()) return place(pluginsDir, name, (target) => cp(source, target, { recursive: true }));
  if (/\.jar$/i.test(source))
    return place(pluginsDir, name, async (target) => {
      await mkdir(target, { recursive: true });
      await cp(source, join(target, basename(source)));
    });
  if (!/\.(zip|tar\.gz|tgz)$/i.test(source)) throw new Error(`${source} is not a .zip, .tar.gz, .tgz or .jar file, nor a folder`);

  const unpacked = await mkdtemp(join(pluginsDir, ".unpack-"));
  try {
    if (/\.zip$/i.test(source)) await extractZip(source, unpacked);
    else await extractTar({ file: source, cwd: unpacked, strict: true });
    const entries = (await readdir(unpacked, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    const only = entries.length === 1 ? entries[0] : undefined;
    if (only?.isDirectory()) return await place(pluginsDir, only.name, (target) => rename(join(unpacked, only.name), target));
    if (entries.length === 0) throw new Error(`${source} is an empty archive`);
    return await place(pluginsDir, name, (target) => rename(unpacked, target));
  } finally {
    await rm(unpacked, { recursive: true, force: true });
  }
}

function pluginName(source: string): string {
  return basename(source).replace(/\.(zip|tar\.gz|tgz|jar)$/i, "");
}

async function place(pluginsDir: string, name: string, write: (target: string) => Promise<unknown>): Promise<string> {
  const target = join(pluginsDir, name);
  if (await stat(target).catch(() => undefined)) throw new Error(`two plugins would both be the folder '${name}' of the plugin path`);
  await write(target);
  return name;
}

/** Every entry of a zip under `into`; an entry that would land outside it (../) is refused. */
async function extractZip(file: string, into: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", resolve);
      zip.on("entry", (entry: yauzl.Entry) => {
        const target = normalize(join(into, entry.fileName));
        if (!target.startsWith(`${normalize(into)}${sep}`)) {
          reject(new Error(`${file}: entry ${entry.fileName} points outside the archive`));
          return;
        }
        if (entry.fileName.endsWith("/")) {
          mkdir(target, { recursive: true }).then(() => zip.readEntry(), reject);
          return;
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          mkdir(dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target)))
            .then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
