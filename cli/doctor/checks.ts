import { execFile } from "node:child_process";
import { freemem, totalmem } from "node:os";
import { join } from "node:path";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import { describeEngine, engineClient, engineInfo, type EngineInfo } from "../../containers/engine/engine.js";
import { imagePresent } from "../../containers/engine/image-pull.js";
import { IMAGE_VARIABLES, type PipelineImages } from "../../containers/images.js";
import { mavenSourcesFromEnv, MAVEN_REPOSITORY_VARIABLE, sha256Of } from "../../containers/kafka-connect/maven-fetch.js";
import { describePlugin, mavenPath, parsePluginSpecs, type PluginSpec } from "../../containers/kafka-connect/plugin-spec.js";
import { describeProbe, probeStack, silentServices } from "../../helpers/diagnostics/service-probes.js";
import { readStackState, stateFileLocation } from "../../helpers/stack/stack-state.js";
import { describeError } from "../../core/errors.js";
import { MINIMUM_NODE, nodeVersionProblem } from "../node-version.mjs";

const run = promisify(execFile);

/** One thing a first run needs: ok, a warning (a run can start, but…), or a failure with its fix. */
export interface CheckResult {
  readonly name: string;
  readonly outcome: "ok" | "warn" | "fail";
  readonly detail: string;
  readonly fix?: string;
}

const ok = (name: string, detail: string): CheckResult => ({ name, outcome: "ok", detail });
const warn = (name: string, detail: string, fix?: string): CheckResult => ({ name, outcome: "warn", detail, ...(fix ? { fix } : {}) });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, outcome: "fail", detail, fix });

export function checkNode(version: string = process.versions.node): CheckResult {
  const problem = nodeVersionProblem(version);
  if (problem === undefined) return ok("Node.js", `${version} (needs ${MINIMUM_NODE} or newer)`);
  const [detail = problem, fix = ""] = problem.split("\n  fix: ");
  return fail("Node.js", detail, fix);
}

export async function checkEngine(): Promise<{ result: CheckResult; engine: EngineInfo | undefined }> {
  try {
    const engine = await engineInfo();
    const result =
      engine.placement === "remote"
        ? warn("container engine", describeEngine(engine), "run the stack on an engine of this machine, or only on a network you trust")
        : ok("container engine", describeEngine(engine));
    return { result, engine };
  } catch (error) {
    const [detail = "", fix = "start Docker or Podman's API service, and set DOCKER_HOST"] = describeError(error).split("\n  fix: ");
    return { result: fail("container engine", detail, fix), engine: undefined };
  }
}

/** testcontainers' reaper: Docker users have it by default; its image must be had unless it is switched off. */
export function ryukImage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TESTCONTAINERS_RYUK_DISABLED === "true") return undefined;
  return env.RYUK_CONTAINER_IMAGE?.trim() || "testcontainers/ryuk:0.14.0";
}

/** Present, or known to the registry (the engine asks it for the manifest, without pulling). */
export async function checkImage(label: string, image: string, variable: string): Promise<CheckResult> {
  const name = `image ${label}`;
  if (await imagePresent(image)) return ok(name, `${image} (present)`);
  const docker = (await engineClient()).container.dockerode;
  try {
    await withTimeout(docker.getImage(image).distribution(), 10_000);
    return ok(name, `${image} (not here yet; the registry has it: the first run pulls it)`);
  } catch (error) {
    return fail(
      name,
      `${image} is not here, and the registry does not offer it: ${describeError(error).split("\n")[0]?.slice(0, 200)}`,
      `pull it (docker pull ${image}), or point ${variable} at an image you have`,
    );
  }
}

export async function checkImages(images: PipelineImages, ksqldb: boolean): Promise<CheckResult[]> {
  const wanted: Array<[string, string, string]> = [
    ["postgres", images.postgres, IMAGE_VARIABLES.postgres],
    ["kafka", images.kafka, IMAGE_VARIABLES.kafka],
    ["schema-registry", images.schemaRegistry, IMAGE_VARIABLES.schemaRegistry],
    ["connect (base)", images.connect, IMAGE_VARIABLES.connect],
    ...(ksqldb ? [["ksqldb", images.ksqldb, IMAGE_VARIABLES.ksqldb] as [string, string, string]] : []),
  ];
  const ryuk = ryukImage();
  if (ryuk !== undefined)
    wanted.push(["ryuk (testcontainers' reaper)", ryuk, "RYUK_CONTAINER_IMAGE, or TESTCONTAINERS_RYUK_DISABLED=true"]);
  return Promise.all(wanted.map(([label, image, variable]) => checkImage(label, image, variable)));
}

/**
 * Each plugin of the Connect image can be had: a Maven archive cached (and its pin verified), or a source that
 * will fetch it; a local file exists; a Hub component is named (confluent-hub installs it during the build).
 */
export async function checkPlugins(specs: readonly string[]): Promise<CheckResult[]> {
  const sources = mavenSourcesFromEnv();
  const mvn = await run("mvn", ["-v"], { timeout: 15_000 }).then(
    (r) => r.stdout.split("\n")[0] ?? "mvn",
    () => undefined,
  );
  return Promise.all(
    parsePluginSpecs(specs.join(" "), IMAGE_VARIABLES.connectPlugins).map((spec) =>
      checkPlugin(spec, sources.cacheDir, sources.repositoryUrl, mvn),
    ),
  );
}

async function checkPlugin(
  spec: PluginSpec,
  cacheDir: string,
  repositoryUrl: string | undefined,
  mvn: string | undefined,
): Promise<CheckResult> {
  const name = `plugin ${describePlugin(spec)}`;
  if (spec.kind === "hub") return ok(name, "installed by confluent-hub while the Connect image builds");
  if (spec.kind === "file") {
    return (await stat(spec.path).catch(() => undefined))
      ? ok(name, "the file is there")
      : fail(name, `${spec.path} does not exist`, `fix the path in ${IMAGE_VARIABLES.connectPlugins} or E2E_CONNECT_EXTRA_PLUGINS`);
  }
  const cached = join(cacheDir, mavenPath(spec.artifact));
  if (await stat(cached).catch(() => undefined)) {
    const sha256 = await sha256Of(cached);
    if (spec.sha256 === undefined || sha256 === spec.sha256)
      return ok(name, `cached in ${cacheDir}${spec.sha256 ? ", sha256 as pinned" : ""}`);
    return fail(
      name,
      `the cached file's sha256 ${sha256} is not the pinned ${spec.sha256}`,
      `delete ${cached}; the next run fetches it again`,
    );
  }
  if (repositoryUrl !== undefined) {
    const url = `${repositoryUrl}/${mavenPath(spec.artifact)}`;
    const response = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(10_000) }).catch((error: unknown) =>
      describeError(error),
    );
    if (typeof response !== "string" && response.ok) return ok(name, `not cached yet; ${MAVEN_REPOSITORY_VARIABLE} serves it`);
    return fail(
      name,
      `${url}: ${typeof response === "string" ? response : `HTTP ${response.status}`}`,
      `point ${MAVEN_REPOSITORY_VARIABLE} at a Maven repository that serves it, or unset it to use mvn`,
    );
  }
  if (mvn !== undefined)
    return ok(name, `not cached yet; the first run fetches it with ${mvn} (Maven Central, or your settings.xml mirror)`);
  return fail(
    name,
    "not cached, no mvn on PATH and no " + MAVEN_REPOSITORY_VARIABLE,
    `install Maven, or set ${MAVEN_REPOSITORY_VARIABLE} to a Maven repository URL (your mirror, or Maven Central's)`,
  );
}

const STACK_PEAK_BYTES = 2 * 1024 ** 3;
const ENOUGH_FREE_BYTES = 4 * 1024 ** 3;

/** The stack peaked at 2 GiB (README, "Measured numbers"); 4 GiB free leaves room for the tests themselves. */
export function checkMemory(engine: EngineInfo | undefined, free = freemem(), total = totalmem()): CheckResult {
  const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  const engineMemory = engine?.memoryBytes ?? total;
  const detail = `${gib(free)} free of ${gib(total)} here; the engine can give containers ${gib(engineMemory)}; the stack peaks at about ${gib(STACK_PEAK_BYTES)}`;
  if (engineMemory < STACK_PEAK_BYTES || free < STACK_PEAK_BYTES) {
    return fail(
      "memory",
      detail,
      "free memory, or give the engine's VM more (Docker Desktop: Settings > Resources; Podman: podman machine set --memory)",
    );
  }
  return free < ENOUGH_FREE_BYTES ? warn("memory", detail, "close other programs: scenarios may be slow") : ok("memory", detail);
}

export async function checkStateFile(): Promise<CheckResult> {
  const { path, explicit } = stateFileLocation();
  const name = "state file";
  try {
    const state = await readStackState(path);
    if (state === undefined) {
      return explicit
        ? fail(name, `E2E_STACK_FILE=${path}, but there is no such file`, "start a stack with 'ksql-e2e up', or unset E2E_STACK_FILE")
        : ok(name, `no running stack recorded (${path}); a test run starts its own`);
    }
    const silent = silentServices(await probeStack(state.endpoints, { timeoutMs: 3_000 }));
    if (silent.length > 0) {
      return fail(
        name,
        `${path} describes stack ${state.stackId}, which does not answer: ${silent.map(describeProbe).join("; ")}`,
        "ksql-e2e down (removes what is left of it), then ksql-e2e up",
      );
    }
    return ok(name, `stack ${state.stackId} is running (${path}); test runs reuse it`);
  } catch (error) {
    return fail(name, describeError(error), `delete ${path}, or ksql-e2e down`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    }),
  ]);
}
