import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { promisify } from "node:util";
import { describeError } from "../../core/errors.js";
import { mavenCoordinates, mavenFileName, mavenPath, type MavenArtifact } from "./plugin-spec.js";

const run = promisify(execFile);

/** A Maven repository to download from (a company mirror, or Maven Central's URL); unset: Maven's own settings. */
export const MAVEN_REPOSITORY_VARIABLE = "E2E_MAVEN_REPOSITORY";
/** Where downloaded plugin archives are kept between runs. */
export const CACHE_DIR_VARIABLE = "E2E_CACHE_DIR";

export interface MavenSources {
  /** The harness's own cache: checked first, filled by every download. */
  readonly cacheDir: string;
  /** The local Maven repository (~/.m2/repository): used when it already holds the artifact. */
  readonly localRepository: string;
  /** E2E_MAVEN_REPOSITORY: downloaded from over HTTP(S). */
  readonly repositoryUrl: string | undefined;
  /** The `mvn` command, when there is one: it knows Maven Central and honours your settings.xml (mirrors, proxies). */
  readonly mvn: string | undefined;
}

export function mavenSourcesFromEnv(env: NodeJS.ProcessEnv = process.env): MavenSources {
  const repository = env[MAVEN_REPOSITORY_VARIABLE]?.trim();
  return {
    cacheDir: join(harnessCacheDir(env), "maven"),
    localRepository: join(homedir(), ".m2", "repository"),
    repositoryUrl: repository ? repository.replace(/\/+$/, "") : undefined,
    mvn: "mvn",
  };
}

/** ${E2E_CACHE_DIR}, else $XDG_CACHE_HOME/ksql-pipeline-e2e, else ~/.cache/ksql-pipeline-e2e. */
export function harnessCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[CACHE_DIR_VARIABLE]?.trim();
  if (configured) return configured;
  return join(env.XDG_CACHE_HOME?.trim() || join(homedir(), ".cache"), "ksql-pipeline-e2e");
}

export interface FetchedArtifact {
  readonly file: string;
  readonly sha256: string;
  /** Where it came from: "cache", "local Maven repository", the repository URL, or "mvn". */
  readonly source: string;
}

/** No source could produce the artifact: says what each one answered, and how to fix it. */
export class ArtifactUnavailableError extends Error {
  constructor(
    readonly artifact: MavenArtifact,
    readonly attempts: readonly string[],
  ) {
    super(
      `the plugin archive ${mavenCoordinates(artifact)} could not be had:\n${attempts.map((a) => `  - ${a}`).join("\n")}\n` +
        `  fix: install Maven (mvn reaches Maven Central, or the mirror of your settings.xml), or set ${MAVEN_REPOSITORY_VARIABLE} ` +
        "to a Maven repository URL that serves it, or put the file into the cache above.",
    );
    this.name = "ArtifactUnavailableError";
  }
}

export class ChecksumMismatchError extends Error {
  constructor(artifact: MavenArtifact, source: string, expected: string, actual: string) {
    super(
      `the plugin archive ${mavenCoordinates(artifact)} from ${source} has sha256 ${actual}, but ${expected} is pinned: ` +
        "the download is corrupt or the artifact was replaced; it was not used (and removed from the cache).",
    );
    this.name = "ChecksumMismatchError";
  }
}

export type Progress = (line: string) => void;

/**
 * The artifact as a verified file in the cache: from the cache, the local Maven repository, E2E_MAVEN_REPOSITORY or
 * `mvn`, in that order. A pinned sha256 is checked wherever the file came from; a mismatch is never used.
 */
export async function fetchMavenArtifact(
  artifact: MavenArtifact,
  pinnedSha256: string | undefined,
  sources: MavenSources,
  progress: Progress = () => undefined,
): Promise<FetchedArtifact> {
  const cached = join(sources.cacheDir, mavenPath(artifact));
  const attempts: string[] = [];
  const verified = async (file: string, source: string): Promise<FetchedArtifact> => {
    const sha256 = await sha256Of(file);
    if (pinnedSha256 !== undefined && sha256 !== pinnedSha256) {
      await rm(file, { force: true });
      throw new ChecksumMismatchError(artifact, source, pinnedSha256, sha256);
    }
    return { file, sha256, source };
  };

  if (await isFile(cached)) return verified(cached, "cache");
  attempts.push(`cache: not in ${cached}`);
  const local = join(sources.localRepository, mavenPath(artifact));
  if (await isFile(local)) {
    await placeInCache(cached, (target) => copyFile(local, target));
    return verified(cached, "local Maven repository");
  }
  attempts.push(`local Maven repository: not in ${sources.localRepository}`);

  if (sources.repositoryUrl !== undefined) {
    const url = `${sources.repositoryUrl}/${mavenPath(artifact)}`;
    try {
      await placeInCache(cached, async (target) => {
        await download(url, target, `${artifact.artifactId} ${artifact.version}`, progress);
        if (pinnedSha256 === undefined) await checkPublishedSha1(url, target);
      });
      return await verified(cached, url);
    } catch (error) {
      if (error instanceof ChecksumMismatchError) throw error;
      attempts.push(`${MAVEN_REPOSITORY_VARIABLE}: ${describeError(error)}`);
    }
  } else {
    attempts.push(`${MAVEN_REPOSITORY_VARIABLE}: not set`);
  }

  if (sources.mvn !== undefined) {
    try {
      progress(`${artifact.artifactId} ${artifact.version}: resolving with mvn`);
      await placeInCache(cached, (target) => resolveWithMvn(sources.mvn as string, artifact, target));
      return await verified(cached, "mvn");
    } catch (error) {
      if (error instanceof ChecksumMismatchError) throw error;
      attempts.push(`mvn: ${describeError(error).split("\n").slice(0, 4).join(" ")}`);
    }
  }
  throw new ArtifactUnavailableError(artifact, attempts);
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** Writes through a temporary file beside the target, so a failed or concurrent fetch never leaves half a file. */
async function placeInCache(target: string, write: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(4).toString("hex")}.part`;
  try {
    await write(temporary);
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
}

const PROGRESS_EVERY_MS = 5_000;

async function download(url: string, target: string, what: string, progress: Progress): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10 * 60_000) });
  if (!response.ok || response.body === null) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length") ?? 0);
  let received = 0;
  let reported = Date.now();
  progress(`${what}: downloading${total > 0 ? ` ${megabytes(total)} MB` : ""}`);
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  body.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (Date.now() - reported >= PROGRESS_EVERY_MS) {
      reported = Date.now();
      progress(`${what}: ${megabytes(received)}${total > 0 ? ` / ${megabytes(total)}` : ""} MB`);
    }
  });
  await pipeline(body, createWriteStream(target));
}

/** Without a pinned sha256, the repository's own checksum file (Maven repositories publish <file>.sha1). */
async function checkPublishedSha1(url: string, file: string): Promise<void> {
  const response = await fetch(`${url}.sha1`, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url}.sha1: HTTP ${response.status}; pin the archive with @sha256:<hex> to use it without one`);
  const published = (await response.text()).trim().split(/\s+/)[0]?.toLowerCase();
  const hash = createHash("sha1");
  await pipeline(createReadStream(file), hash);
  const actual = hash.digest("hex");
  if (published !== actual) throw new Error(`${url}: sha1 ${actual} differs from the repository's ${published}`);
}

async function resolveWithMvn(mvn: string, artifact: MavenArtifact, target: string): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), "ksql-e2e-mvn-"));
  try {
    // --strict-checksums: Maven verifies the repository's checksums and fails on a mismatch.
    await run(
      mvn,
      ["-q", "-B", "--strict-checksums", "dependency:copy", `-Dartifact=${mavenCoordinates(artifact)}`, `-DoutputDirectory=${out}`],
      { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { code?: unknown; stdout?: string; stderr?: string; message: string }) => {
      if (error.code === "ENOENT") throw new Error("no mvn command on PATH");
      throw new Error(`${error.stdout ?? ""}${error.stderr ?? ""}`.trim() || error.message);
    });
    const name = mavenFileName(artifact);
    const files = await readdir(out);
    if (!files.includes(name)) throw new Error(`mvn finished without ${name} (got: ${files.join(", ") || "nothing"})`);
    await copyFile(join(out, name), target);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(1);
}
