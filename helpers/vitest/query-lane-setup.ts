/**
 * Global setup of the queries project: starts the lane's engine (ksqlDB's testing engine, one JVM for the run) and
 * provides a stack of kind "queries" to the scenarios: their runs use the engine and no service.
 */
import type { TestProject } from "vitest/node";
import { resolveImages } from "../../containers/images.js";
import { QueryEngine } from "../../containers/query-engine/query-engine.js";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { describeError } from "../../core/errors.js";
import "./provided-context.js";

const NONE = "(none in the queries lane)";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const images = resolveImages();
  const started = Date.now();
  let engine;
  try {
    engine = await new QueryEngine(images.ksqldb).withProgress((line) => console.log(`[queries] ${line}`)).start();
  } catch (error) {
    console.error(`\n[queries] THE QUERIES LANE'S ENGINE COULD NOT START, so no scenario ran:\n  ${describeError(error)}\n`);
    throw error;
  }
  console.log(`[queries] engine ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${engine.where}`);
  project.provide("stack", laneEndpoints(engine.url, engine.where, images));
  return () => engine.stop();
}

function laneEndpoints(url: string, where: string, images: ReturnType<typeof resolveImages>): StackEndpoints {
  const nowhere = { host: NONE, port: 0, user: NONE, password: "", sourceDatabase: NONE, sinkDatabase: NONE };
  return {
    kind: "queries",
    images,
    network: "queries lane",
    containerIds: {},
    postgres: { fromHost: nowhere, inNetwork: nowhere },
    kafka: { bootstrapServersFromHost: NONE, bootstrapServersInNetwork: NONE },
    schemaRegistry: { urlFromHost: NONE, urlInNetwork: NONE },
    connect: { urlFromHost: NONE, urlInNetwork: NONE },
    ksqldb: { available: true, urlFromHost: url, urlInNetwork: url },
    queryEngine: { url, where },
  };
}
