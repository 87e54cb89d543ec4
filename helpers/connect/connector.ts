import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";

export type ConnectorConfig = Readonly<Record<string, string>>;

/** A connector as Kafka Connect's REST API knows it: a name and a flat string config. */
export class Connector {
  constructor(
    readonly name: string,
    readonly config: ConnectorConfig,
  ) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`invalid connector name '${name}'`);
    if (!config["connector.class"]) throw new Error(`connector '${name}' has no connector.class`);
  }

  get connectorClass(): string {
    return this.config["connector.class"] as string;
  }

  /** A copy with more (or replaced) settings. */
  with(settings: Readonly<Record<string, string | number | boolean>>): Connector {
    const extra = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]));
    return new Connector(this.name, { ...this.config, ...extra });
  }

  /** A copy without the given settings. */
  without(...keys: string[]): Connector {
    return new Connector(this.name, Object.fromEntries(Object.entries(this.config).filter(([k]) => !keys.includes(k))));
  }

  renamed(name: string): Connector {
    return new Connector(name, this.config);
  }

  /** Reads the `{ "name": ..., "config": {...} }` form users deploy with. */
  static fromJson(text: string, source = "connector JSON"): Connector {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null) throw new Error(`${source} must be a JSON object`);
    if (typeof (parsed as Record<string, unknown>)["connector.class"] === "string") {
      // A bare config, as PUT /connectors/<name>/config takes it: named by its "name", else after its file. The
      // name leaves the config: Connect refuses a config whose name is not the one the connector is created under.
      const { name, ...settings } = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      return new Connector(name ?? basename(source, extname(source)), settings);
    }
    const { name, config } = parsed as { name?: unknown; config?: unknown };
    if (typeof name !== "string") throw new Error(`${source} has no string "name"`);
    if (typeof config !== "object" || config === null) throw new Error(`${source} has no "config" object`);
    const flat = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]));
    return new Connector(name, flat);
  }

  static async fromFile(path: string): Promise<Connector> {
    return Connector.fromJson(await readFile(path, "utf8"), path);
  }

  toJson(): string {
    return JSON.stringify({ name: this.name, config: this.config }, null, 2);
  }
}
