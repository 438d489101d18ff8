/** Runs a connector action for a flow target; implemented by the connector registry. */
export interface ActionInvoker {
  invoke(
    connectorId: string,
    actionName: string,
    input: unknown,
    context: { idempotencyKey: string; correlationId: string },
  ): Promise<unknown>;
}
