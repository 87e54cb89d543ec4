import { createHash, randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { c as createTar } from "tar";
import { engineClient } from "../engine/engine.js";
import { ensureImage } from "../engine/image-pull.js";
import { fetchMavenArtifact, mavenSourcesFromEnv, sha256Of, type MavenSources, type Progress } from "./maven-fetch.js";
import { addPluginFolder } from "./plugin-folder.js";
import { describePlugin, type PluginSpec } from "./plugin-spec.js";

const DOCKERFILE = fileURLToPath(new URL("./Dockerfile", import.meta.url));
/** Carried by every layer of one build attempt, so that a failed build's layers can be found and removed. */
export const CONNECT_BUILD_LABEL = "ksql-pipeline-e2e.connect-build";

export interface ConnectImageRecipe {
  /** cp-kafka-connect (E2E_CONNECT_IMAGE). */
  readonly baseImage: string;
  readonly plugins: readonly PluginSpec[];
}

export interface ConnectImageOptions {
  /** One line per step of the build, per download, per pull. */
  readonly progress?: Progress;
  readonly sources?: MavenSources;
}

/** A Connect image build that failed: the build's own last lines say why (a Hub component that cannot be installed). */
export class ConnectImageBuildError extends Error {
  constructor(
    readonly recipe: ConnectImageRecipe,
    readonly output: readonly string[],
    reason: string,
    /** The attempt's CONNECT_BUILD_LABEL value: what it left behind carries it (and the harness removed it). */
    readonly buildId: string,
  ) {
    super(
      `the Connect image (base ${recipe.baseImage}, plugins ${recipe.plugins.map((p) => p.text).join(" ")}) could not be built: ${reason}\n` +
        (output.length > 0 ? `--- last ${output.length} lines of the build ---\n${output.join("\n")}\n` : "") +
        hintFor(recipe, output) +
        "The plugins come from E2E_CONNECT_PLUGINS and E2E_CONNECT_EXTRA_PLUGINS (default: the Debezium source and the " +
        "E2E_JDBC_SINK sink); the base from E2E_CONNECT_IMAGE.",
    );
    this.name = "ConnectImageBuildError";
  }
}

/**
 * The name of the Connect image for a recipe: a hash of the Dockerfile, the base image's id (a rebuilt or
 * re-pulled base gives a new image) and each plugin (its spec; a local file's content), so that an unchanged
 * recipe reuses its image without fetching anything.
 */
export async function connectImageName(recipe: ConnectImageRecipe, baseImageId: string): Promise<string> {
  const hash = createHash("sha256")
    .update(await readFile(DOCKERFILE))
    .update(baseImageId);
  for (const plugin of recipe.plugins) {
    hash.update(plugin.kind === "file" ? `${plugin.text}=${await contentHash(plugin.path)}` : plugin.text).update("\n");
  }
  return `localhost/ksql-pipeline-e2e/kafka-connect:${hash.digest("hex").slice(0, 12)}`;
}

/**
 * Builds the Connect image unless the recipe's image exists; returns its name. Maven artifacts and local files
 * are fetched and unpacked here, on this machine, into the build context; Hub components are installed by
 * `confluent-hub` during the build. A failed build leaves no container and no layer behind.
 */
export async function buildConnectImage(recipe: ConnectImageRecipe, options: ConnectImageOptions = {}): Promise<string> {
  const progress = options.progress ?? (() => undefined);
  const client = await engineClient();
  await ensureImage(recipe.baseImage, progress);
  const baseImageId = (await client.container.dockerode.getImage(recipe.baseImage).inspect()).Id;
  const name = await connectImageName(recipe, baseImageId);
  if (
    await client.container.dockerode
      .getImage(name)
      .inspect()
      .then(
        () => true,
        () => false,
      )
  )
    return name;

  const context = await mkdtemp(join(tmpdir(), "ksql-e2e-connect-"));
  try {
    const hubComponents = await fillContext(context, recipe.plugins, options.sources ?? mavenSourcesFromEnv(), progress);
    await runBuild(recipe, name, context, hubComponents, progress);
    return name;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function fillContext(context: string, plugins: readonly PluginSpec[], sources: MavenSources, progress: Progress): Promise<string[]> {
  await copyFile(DOCKERFILE, join(context, "Dockerfile"));
  const pluginsDir = join(context, "plugins");
  await mkdir(pluginsDir);
  const hubComponents: string[] = [];
  for (const plugin of plugins) {
    if (plugin.kind === "hub") {
      hubComponents.push(plugin.component);
      continue;
    }
    try {
      const file =
        plugin.kind === "maven" ? (await fetchMavenArtifact(plugin.artifact, plugin.sha256, sources, progress)).file : plugin.path;
      const folder = await addPluginFolder(file, pluginsDir);
      progress(`${describePlugin(plugin)} -> plugin folder ${folder}`);
    } catch (error) {
      throw Object.assign(new Error(`Connect plugin ${plugin.text}: ${(error as Error).message}`, { cause: error }), {
        name: "ConnectPluginError",
      });
    }
  }
  return hubComponents;
}

const BUILD_OUTPUT_LINES = 30;

async function runBuild(
  recipe: ConnectImageRecipe,
  name: string,
  context: string,
  hubComponents: readonly string[],
  progress: Progress,
): Promise<void> {
  const docker = (await engineClient()).container.dockerode;
  const buildId = randomBytes(6).toString("hex");
  // Not testcontainers' build: it ignores the error events of the build stream. forcerm: no intermediate
  // container is left behind when a step fails.
  // tar 8 packs into a web stream; the engine's client wants a Node one.
  const packed = Readable.fromWeb(createTar({ cwd: context, portable: true }, ["."]));
  const stream = await docker.buildImage(packed, {
    t: name,
    rm: true,
    forcerm: true,
    buildargs: { CONNECT_IMAGE: recipe.baseImage, HUB_COMPONENTS: hubComponents.join(" "), BUILD_ID: buildId },
  });
  const output: string[] = [];
  const failure = await new Promise<string | undefined>((resolve) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = error?.message ?? events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
        resolve(typeof failed === "string" ? failed : failed ? (failed.errorDetail?.message ?? failed.error) : undefined);
      },
      (event: { stream?: string }) => {
        for (const line of (event.stream ?? "").split("\n")) {
          if (line.trim() === "") continue;
          output.push(line);
          // Docker prints "Step 2/7 : COPY …", Podman "STEP 2/7: COPY …".
          if (/^(Step|STEP) \d+\/\d+/.test(line)) progress(line.trim());
        }
        if (output.length > BUILD_OUTPUT_LINES) output.splice(0, output.length - BUILD_OUTPUT_LINES);
      },
    );
  });
  if (
    failure === undefined &&
    (await docker
      .getImage(name)
      .inspect()
      .then(
        () => true,
        () => false,
      ))
  )
    return;
  await removeBuildLayers(buildId);
  throw new ConnectImageBuildError(recipe, output, failure ?? `the build ended, but there is no image ${name}`, buildId);
}

/**
 * What a failed build left (they carry the attempt's label): the failing step's container where the engine kept it,
 * and the layers committed before it.
 */
async function removeBuildLayers(buildId: string): Promise<void> {
  const docker = (await engineClient()).container.dockerode;
  const filters = { label: [`${CONNECT_BUILD_LABEL}=${buildId}`] };
  const containers = await docker.listContainers({ all: true, filters }).catch(() => []);
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const layers = await docker.listImages({ all: true, filters }).catch(() => []);
  // Newest first: a layer can only go once no other layer builds on it.
  for (const layer of [...layers].sort((a, b) => b.Created - a.Created)) {
    await docker
      .getImage(layer.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

function hintFor(recipe: ConnectImageRecipe, output: readonly string[]): string {
  const notFound = output.some((line) => /component not found/i.test(line));
  const debezium = recipe.plugins.some((p) => p.kind === "hub" && p.component.startsWith("debezium/"));
  if (notFound && debezium) {
    return (
      "Hint: Confluent Hub carries only older Debezium versions (3.2.6-x for Postgres) and no Debezium JDBC sink; " +
      "Debezium publishes its connectors as plugin archives on Maven Central: maven:io.debezium:debezium-connector-postgres:<version>:tar.gz:plugin.\n"
    );
  }
  return notFound ? "Hint: Confluent Hub does not list that component or version.\n" : "";
}

/** A file's sha256, or a folder's (its files' names and contents). */
async function contentHash(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return "missing";
  if (info.isFile()) return sha256Of(path);
  const hash = createHash("sha256");
  const files = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    hash.update(`${file.slice(path.length)}=${await sha256Of(file)}\n`);
  }
  return hash.digest("hex");
}
