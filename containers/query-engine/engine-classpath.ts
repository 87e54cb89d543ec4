/**
 * The queries lane's engine runs on ksqlDB's own libraries, taken from the ksqlDB image the stack uses: its
 * /usr/share/java, copied out once per image into the harness's cache, on the classpath the image's own ksql-run-class
 * builds (image-classpath.ts), with QueryLaneServer.java compiled against them there.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { x as extractTar } from "tar";
import { describeError, textOf } from "../../core/errors.js";
import { engineClient } from "../engine/engine.js";
import { ensureImage } from "../engine/image-pull.js";
import { harnessCacheDir } from "../kafka-connect/maven-fetch.js";
import { imageClasspathFolders, missingFromClasspath } from "./image-classpath.js";

const run = promisify(execFile);
export const SERVER_SOURCE = fileURLToPath(new URL("./QueryLaneServer.java", import.meta.url));
export const LOG_CONFIG = fileURLToPath(new URL("./log4j2.properties", import.meta.url));

export interface EngineClasspath {
  /** Where the image's /usr/share/java was copied on this machine. */
  readonly lib: string;
  /** Folders under /usr/share/java, in classpath order (each used as `<folder>/*`). */
  readonly folders: readonly string[];
  /** Where QueryLaneServer.class is. */
  readonly classes: string;
}

/** The classpath on this machine (`root` = the copy) or in a container of the image (`root` = /usr/share/java). */
export function classpathUnder(classpath: EngineClasspath, root: string, classes?: string): string {
  return [...(classes === undefined ? [] : [classes]), ...classpath.folders.map((folder) => `${root}/${folder}/*`)].join(":");
}

export async function engineClasspath(image: string, progress: (line: string) => void): Promise<EngineClasspath> {
  await ensureImage(image, progress);
  const client = await engineClient();
  const inspected = await client.container.dockerode.getImage(image).inspect();
  const home = join(harnessCacheDir(), "query-engine", inspected.Id.replace(/^sha256:/, "").slice(0, 16));
  const lib = join(home, "lib");
  if (!(await exists(lib))) await copyJars(image, home, progress);
  const ksqlClasspath = (inspected.Config.Env ?? []).find((e) => e.startsWith("KSQL_CLASSPATH="))?.slice("KSQL_CLASSPATH=".length);
  const folders = imageClasspathFolders(await foldersUnder(lib), ksqlClasspath, image);
  const jars = (await Promise.all(folders.map((folder) => readdir(join(lib, folder))))).flat();
  const missing = missingFromClasspath(jars);
  if (missing.length > 0) {
    throw new Error(
      `the ksqlDB image ${image} lacks, on the classpath its own ksql-run-class builds (${folders.map((f) => `/usr/share/java/${f}`).join(", ") || "no ksqlDB folder under /usr/share/java"}): ` +
        `${missing.join("; ")}. The queries lane runs ksqlDB's testing engine from the image the stack uses (E2E_KSQLDB_IMAGE)`,
    );
  }
  const source = await readFile(SERVER_SOURCE);
  const classes = join(home, `classes-${createHash("sha256").update(source).digest("hex").slice(0, 12)}`);
  const classpath = { lib, folders, classes };
  if (!(await exists(join(classes, "QueryLaneServer.class")))) await compile(classpath, progress);
  return classpath;
}

async function copyJars(image: string, home: string, progress: (line: string) => void): Promise<void> {
  progress(`copying ksqlDB's libraries out of ${image}`);
  const docker = (await engineClient()).container.dockerode;
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["true"],
    Labels: { "ksql-pipeline-e2e.query-engine": "copy" },
  });
  await mkdir(join(home, ".."), { recursive: true });
  const staging = await mkdtemp(join(home, "..", "staging-"));
  try {
    const archive = await container.getArchive({ path: "/usr/share/java" });
    const file = join(staging, "java.tar");
    await pipeline(archive, createWriteStream(file));
    await extractTar({ file, cwd: staging, filter: (path) => path.endsWith(".jar") || path.endsWith("/") });
    await mkdir(home, { recursive: true });
    await rm(join(home, "lib"), { recursive: true, force: true });
    await rename(join(staging, "java"), join(home, "lib"));
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
  }
}

/** The folders of the copy, by their path under /usr/share/java (`ksqldb-server`, `confluent-security/ksql`). */
async function foldersUnder(lib: string): Promise<Set<string>> {
  const entries = await readdir(lib, { recursive: true, withFileTypes: true });
  return new Set(entries.filter((e) => e.isDirectory()).map((e) => relative(lib, join(e.parentPath, e.name))));
}

async function compile(classpath: EngineClasspath, progress: (line: string) => void): Promise<void> {
  const { classes } = classpath;
  progress("compiling the queries lane's engine (once per ksqlDB image)");
  await mkdir(classes, { recursive: true });
  try {
    await run("javac", ["-nowarn", "--release", "17", "-d", classes, "-cp", classpathUnder(classpath, classpath.lib), SERVER_SOURCE], {
      maxBuffer: 16 << 20,
    });
  } catch (error) {
    await rm(classes, { recursive: true, force: true });
    const missing = (error as { code?: unknown }).code === "ENOENT";
    throw new Error(
      missing
        ? "the queries lane compiles its engine once per ksqlDB image with javac, on this machine, and there is none on PATH: install a JDK 17 or newer (a JRE is not enough)"
        : `compiling the queries lane's engine (${SERVER_SOURCE}) failed: ${describeError(error)}${textOf((error as { stderr?: unknown }).stderr ?? "")}`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
