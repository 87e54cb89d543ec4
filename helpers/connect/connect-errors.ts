/** Kafka Connect refused a request about a connector (bad config, unknown plugin). */
export class ConnectorRequestError extends Error {
  constructor(
    readonly connector: string,
    readonly status: number,
    readonly serverMessage: string,
    readonly action: string,
  ) {
    super(`Kafka Connect refused to ${action} connector '${connector}' (HTTP ${status}): ${serverMessage}`);
    this.name = "ConnectorRequestError";
  }
}

/** A connector or one of its tasks reached FAILED. */
export class ConnectorFailedError extends Error {
  constructor(
    readonly connector: string,
    readonly where: string,
    readonly trace: string,
  ) {
    super(`connector '${connector}' FAILED (${where}):\n${trace}`);
    this.name = "ConnectorFailedError";
  }
}

/** The worker lacks a plugin a connector needs. */
export class MissingPluginError extends Error {
  constructor(
    readonly connector: string,
    readonly pluginClass: string,
    readonly installed: readonly string[],
  ) {
    super(
      `connector '${connector}' needs plugin ${pluginClass}, which this Connect worker does not have.\n` +
        `Installed: ${installed.join(", ") || "(none)"}.\n` +
        `Add it to E2E_CONNECT_PLUGINS (README "Configuration").`,
    );
    this.name = "MissingPluginError";
  }
}
