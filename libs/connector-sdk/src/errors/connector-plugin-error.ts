/** A plugin module the runtime tried to load is not a usable connector; names the plugin and why. */
export class ConnectorPluginError extends Error {
  override readonly name = 'ConnectorPluginError';

  constructor(
    /** Where the plugin came from: a folder under connectors/ or an npm package name. */
    readonly origin: string,
    readonly problems: readonly string[],
  ) {
    super(
      problems.length === 1
        ? `Connector plugin "${origin}": ${problems[0]}`
        : `Connector plugin "${origin}" is invalid:\n  - ${problems.join('\n  - ')}`,
    );
  }
}
