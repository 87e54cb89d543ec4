export interface PipelineRunOptions {
  /** Changes the team's ksqlDB statements before they are namespaced: a query change under test. */
  readonly rewriteKsql?: (text: string, file: string) => string;
  /** Changes the team's source connector settings before they are namespaced: a connector change under test. */
  readonly rewriteSourceConfig?: (config: Readonly<Record<string, string>>) => Record<string, string>;
  /** Changes one of the team's sink connectors' settings before they are namespaced: a connector change under test. */
  readonly rewriteSinkConfig?: (sink: string, config: Readonly<Record<string, string>>) => Record<string, string>;
  /** A fixed namespace id (the CLI's `--as demo`); default a random one. */
  readonly namespaceId?: string;
}
