/** Injection tokens for ports (interfaces have no runtime class to inject by). */
export const EVENT_BUS = Symbol('EventBus');
export const CONNECTOR_CATALOG = Symbol('ConnectorCatalog');
export const ACTION_INVOKER = Symbol('ActionInvoker');
export const WEBHOOK_GATEWAY = Symbol('WebhookGateway');
