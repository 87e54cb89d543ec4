import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isPipelineDefinition, type PipelineDefinition } from "../helpers/pipeline/definition.js";

/** The pipeline definition a module exports (`export const shop = definePipeline({...})`). */
export async function loadDefinitionModule(file: string, pick?: string): Promise<PipelineDefinition> {
  const path = resolve(file);
  try {
    await access(path);
  } catch {
    throw new Error(`${file}: no such file`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file}: cannot load the module: ${(error as Error).message}`, { cause: error });
  }
  const definitions = Object.values(module).filter(isPipelineDefinition);
  if (definitions.length === 0) throw new Error(`${file} exports no pipeline definition (definePipeline({...}))`);
  if (pick !== undefined) {
    const chosen = definitions.find((d) => d.name === pick);
    if (!chosen) throw new Error(`${file} exports no pipeline '${pick}' (it exports ${definitions.map((d) => d.name).join(", ")})`);
    return chosen;
  }
  if (definitions.length > 1) {
    throw new Error(`${file} exports several pipelines (${definitions.map((d) => d.name).join(", ")}): choose one with --pipeline <name>`);
  }
  return definitions[0] as PipelineDefinition;
}

/** A name for a long-lived namespace on the `up` stack (`--as demo`). */
export function namespaceIdOption(value: string | undefined): string {
  const id = value ?? "demo";
  if (!/^[a-z][a-z0-9]{2,15}$/.test(id)) throw new Error(`--as '${id}' must be 3-16 lower-case letters and digits, starting with a letter`);
  return id;
}
