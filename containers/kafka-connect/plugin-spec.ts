import { homedir } from "node:os";
import { resolve } from "node:path";

/** A Maven artifact: `group:artifact:version[:extension[:classifier]]`. */
export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly extension: string;
  readonly classifier?: string;
}

/**
 * Where a Connect plugin comes from, as its maker publishes it:
 * - `maven`: an artifact of a Maven repository (Debezium's plugin archives), pinned by sha256 where known;
 * - `hub`: a Confluent Hub component, installed by `confluent-hub` in the image build;
 * - `file`: a local plugin archive (.zip, .tar.gz), a jar or a plugin folder.
 */
export type PluginSpec =
  | { readonly kind: "maven"; readonly text: string; readonly artifact: MavenArtifact; readonly sha256: string | undefined }
  | { readonly kind: "hub"; readonly text: string; readonly component: string }
  | { readonly kind: "file"; readonly text: string; readonly path: string };

export const DEBEZIUM_VERSION = "3.4.0.Final";

/** Debezium's Postgres source, from the plugin archive Debezium publishes (Confluent Hub carries only older versions). */
export const DEBEZIUM_POSTGRES_SOURCE_PLUGIN =
  `maven:io.debezium:debezium-connector-postgres:${DEBEZIUM_VERSION}:tar.gz:plugin` +
  "@sha256:df62945c143811dcac2522fac1944a25ad4677839d3ae42cc12d180bc6764425";
/** Debezium's JDBC sink, from the plugin archive Debezium publishes (it is not on Confluent Hub). */
export const DEBEZIUM_JDBC_SINK_PLUGIN =
  `maven:io.debezium:debezium-connector-jdbc:${DEBEZIUM_VERSION}:tar.gz:plugin` +
  "@sha256:80f456b94f836f24f36e916f91f213b3ba42f1b22a6ab1a89aaa6366eecd87f0";
/** Confluent's JDBC sink (the seed's), from Confluent Hub. */
export const CONFLUENT_JDBC_SINK_PLUGIN = "hub:confluentinc/kafka-connect-jdbc:10.8.9";

export class PluginSpecError extends Error {
  constructor(spec: string, where: string, problem: string) {
    super(
      `${where}: plugin '${spec}' ${problem}\n` +
        "  A plugin is one of: maven:<group>:<artifact>:<version>[:<extension>[:<classifier>]][@sha256:<hex>], " +
        "hub:<owner>/<name>:<version> (a Confluent Hub component), or file:<path> (a .zip, .tar.gz, .jar or folder).",
    );
    this.name = "PluginSpecError";
  }
}

const SHA256 = /^[0-9a-f]{64}$/;
const HUB_COMPONENT = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$/;
const MAVEN_PART = /^[A-Za-z0-9._-]+$/;

/** Reads a list of plugins separated by spaces, commas or new lines; `where` names the variable or file for errors. */
export function parsePluginSpecs(text: string, where: string): PluginSpec[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((spec) => parsePluginSpec(spec, where));
}

export function parsePluginSpec(text: string, where: string): PluginSpec {
  if (text.startsWith("maven:")) return parseMaven(text, where);
  if (text.startsWith("hub:")) return parseHub(text, text.slice("hub:".length), where);
  if (text.startsWith("file:")) return { kind: "file", text, path: expandPath(text.slice("file:".length)) };
  if (/^(\.{1,2}\/|\/|~\/)/.test(text) || /\.(zip|jar|tar\.gz|tgz)$/.test(text)) return { kind: "file", text, path: expandPath(text) };
  return parseHub(text, text, where);
}

/** The spec's text back, for state files and messages. */
export function pluginSpecText(spec: PluginSpec): string {
  return spec.text;
}

/** `debezium-connector-postgres 3.4.0.Final` for a Maven artifact, the component or the file otherwise. */
export function describePlugin(spec: PluginSpec): string {
  if (spec.kind === "maven") return `${spec.artifact.artifactId} ${spec.artifact.version} (Maven ${mavenCoordinates(spec.artifact)})`;
  if (spec.kind === "hub") return `${spec.component} (Confluent Hub)`;
  return `${spec.path} (local file)`;
}

export function mavenCoordinates(a: MavenArtifact): string {
  return [a.groupId, a.artifactId, a.version, a.extension, ...(a.classifier ? [a.classifier] : [])].join(":");
}

/** The artifact's path in a Maven repository layout (also the local repository's). */
export function mavenPath(a: MavenArtifact): string {
  return `${a.groupId.replaceAll(".", "/")}/${a.artifactId}/${a.version}/${mavenFileName(a)}`;
}

export function mavenFileName(a: MavenArtifact): string {
  return `${a.artifactId}-${a.version}${a.classifier ? `-${a.classifier}` : ""}.${a.extension}`;
}

function parseMaven(text: string, where: string): PluginSpec {
  const [coordinates = "", pin] = text.slice("maven:".length).split("@");
  const parts = coordinates.split(":");
  if (parts.length < 3 || parts.length > 5 || !parts.every((p) => MAVEN_PART.test(p))) {
    throw new PluginSpecError(text, where, "is not Maven coordinates <group>:<artifact>:<version>[:<extension>[:<classifier>]]");
  }
  let sha256: string | undefined;
  if (pin !== undefined) {
    const match = /^sha256:([0-9a-fA-F]+)$/.exec(pin);
    if (!match?.[1] || !SHA256.test(match[1].toLowerCase()))
      throw new PluginSpecError(text, where, "pins no valid checksum: write @sha256:<64 hex digits>");
    sha256 = match[1].toLowerCase();
  }
  const [groupId = "", artifactId = "", version = "", extension = "jar", classifier] = parts;
  return { kind: "maven", text, artifact: { groupId, artifactId, version, extension, ...(classifier ? { classifier } : {}) }, sha256 };
}

function parseHub(text: string, component: string, where: string): PluginSpec {
  if (!HUB_COMPONENT.test(component)) {
    throw new PluginSpecError(text, where, "is not a Confluent Hub component <owner>/<name>:<version>");
  }
  return { kind: "hub", text, component };
}

function expandPath(path: string): string {
  return resolve(path.startsWith("~/") ? `${homedir()}/${path.slice(2)}` : path);
}
