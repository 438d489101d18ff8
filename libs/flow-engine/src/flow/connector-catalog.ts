/**
 * What the flow validator may ask about the loaded connectors. Leave it out and connector,
 * event and action names go unchecked (e.g. validating flows before any plugin is installed).
 */
export interface ConnectorCatalog {
  connectorIds(): string[];
  /** Webhook event names of a connector; undefined when the connector is unknown. */
  events(connectorId: string): string[] | undefined;
  /** Action names of a connector; undefined when the connector is unknown. */
  actions(connectorId: string): string[] | undefined;
}
