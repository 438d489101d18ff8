import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import {
  ConnectorError,
  ConnectorInstance,
  ConnectorPluginError,
  validateConnectorPlugin,
  type ConnectorDefinition,
  type ConnectorObserver,
  type HealthReport,
  type PollResult,
  type TokenStore,
} from '@switchboard/connector-sdk';
import type { ConnectorCatalog } from '@switchboard/flow-engine';
import type { SecretStore } from '@switchboard/persistence';
import type { PluginConfig } from '../config/runtime-config';
import { WebhookRejectedError, type AcceptedEvent, type InboundWebhook, type WebhookGateway } from '../ingress/webhook-gateway';
import type { ActionInvoker } from '../worker/action-invoker';
import { shareConnectorSdkWithPlugins } from './shared-connector-sdk';

export interface LoadedConnector {
  definition: ConnectorDefinition;
  instance: ConnectorInstance;
  origin: string;
}

export interface RegistryOptions {
  secrets: SecretStore;
  tokenStore?: TokenStore;
  /** Receives HTTP, retry, breaker and credential events of every connector (the runtime's metrics). */
  observer?: ConnectorObserver;
  cwd: string;
}

/**
 * The connector plugins named in config/runtime.yaml, loaded and validated at boot. A broken or
 * duplicate plugin fails boot with a message naming it. Serves the flow engine (catalog), the
 * workers (actions), the ingress (webhooks) and the scheduler (polls).
 */
export class ConnectorRegistry implements ConnectorCatalog, ActionInvoker, WebhookGateway {
  private static readonly logger = new Logger('ConnectorRegistry');

  private constructor(private readonly connectors: Map<string, LoadedConnector>) {}

  /** Imports, validates and instantiates every plugin; throws ConnectorPluginError on the first bad one. */
  static async load(plugins: PluginConfig[], options: RegistryOptions): Promise<ConnectorRegistry> {
    const connectors = new Map<string, LoadedConnector>();
    // Plugins built outside this repository import the SDK by package name.
    shareConnectorSdkWithPlugins();
    for (const plugin of plugins) {
      const origin = plugin.module;
      let moduleExports: unknown;
      try {
        moduleExports = await import(resolvePlugin(plugin.module, options.cwd));
      } catch (error) {
        throw new ConnectorPluginError(origin, [`cannot be imported: ${(error as Error).message}${typeScriptSourceHint(plugin.module, options.cwd)}`]);
      }
      const definition = validateConnectorPlugin(moduleExports, origin);
      const existing = connectors.get(definition.id);
      if (existing !== undefined) {
        throw new ConnectorPluginError(origin, [`connector id "${definition.id}" is already provided by ${existing.origin}`]);
      }
      const instance = new ConnectorInstance(definition, {
        baseUrl: plugin.baseUrl,
        fallbackBaseUrls: plugin.fallbackBaseUrls,
        settings: plugin.settings,
        http: plugin.http,
        tokenStore: options.tokenStore,
        observer: options.observer,
        secrets: {
          get: async (name: string): Promise<string> => {
            const value = await options.secrets.get(`${definition.id}.${name}`);
            if (value === undefined) {
              throw new ConnectorError('config', `secret "${definition.id}.${name}" is not set (PUT /api/secrets/${definition.id}.${name})`, { code: 'SECRET_MISSING' });
            }
            return value;
          },
        },
      });
      connectors.set(definition.id, { definition, instance, origin });
      ConnectorRegistry.logger.log(`loaded connector ${definition.id}@${definition.version} from ${origin}`);
    }
    return new ConnectorRegistry(connectors);
  }

  list(): LoadedConnector[] {
    return [...this.connectors.values()];
  }

  connectorIds(): string[] {
    return [...this.connectors.keys()];
  }

  events(connectorId: string): string[] | undefined {
    const connector = this.connectors.get(connectorId);
    if (connector === undefined) return undefined;
    return connector.definition.triggers.filter((t) => t.kind === 'webhook').flatMap((t) => t.events);
  }

  /** Actions, plus polling triggers (what a `schedule` flow names). */
  actions(connectorId: string): string[] | undefined {
    const connector = this.connectors.get(connectorId);
    if (connector === undefined) return undefined;
    return [
      ...connector.definition.actions.map((action) => action.name),
      ...connector.definition.triggers.filter((t) => t.kind === 'poll').map((t) => t.name),
    ];
  }

  async invoke(connectorId: string, actionName: string, input: unknown, context: { idempotencyKey: string; correlationId: string }): Promise<unknown> {
    return this.get(connectorId).instance.invoke(actionName, input, context);
  }

  async poll(connectorId: string, triggerName: string, cursor: unknown): Promise<{ events: AcceptedEvent[]; nextCursor: unknown }> {
    const result: PollResult = await this.get(connectorId).instance.poll(triggerName, typeof cursor === 'string' ? cursor : undefined);
    return {
      events: result.events.map((event) => ({ eventId: event.id, event: event.event, payload: event.payload })),
      nextCursor: result.nextCursor ?? cursor,
    };
  }

  async accept(webhook: InboundWebhook): Promise<AcceptedEvent[]> {
    const connector = this.connectors.get(webhook.connector);
    if (connector === undefined) throw new WebhookRejectedError(404, `no connector "${webhook.connector}" is loaded`);
    const trigger = connector.definition.triggers.find((t) => t.kind === 'webhook' && t.events.includes(webhook.event));
    if (trigger === undefined) {
      throw new WebhookRejectedError(404, `connector "${webhook.connector}" has no webhook for event "${webhook.event}"`);
    }
    const outcome = await connector.instance.receiveWebhook(trigger.name, {
      method: 'POST',
      url: webhook.url,
      headers: webhook.headers,
      rawBody: webhook.rawBody,
    });
    if (!outcome.accepted) throw new WebhookRejectedError(401, `${outcome.reason}: ${outcome.message}`);
    return outcome.events.map((event) => ({ eventId: event.id, event: event.event, payload: event.payload }));
  }

  /** Health of every connector, or of those named. */
  async health(connectorIds?: string[]): Promise<Record<string, HealthReport>> {
    const selected = this.list().filter((c) => connectorIds === undefined || connectorIds.includes(c.definition.id));
    const reports = await Promise.all(selected.map(async (c) => [c.definition.id, await c.instance.checkHealth()] as const));
    return Object.fromEntries(reports);
  }

  async close(): Promise<void> {
    await Promise.all(this.list().map((c) => c.instance.close()));
  }

  private get(connectorId: string): LoadedConnector {
    const connector = this.connectors.get(connectorId);
    if (connector === undefined) throw new ConnectorError('config', `no connector "${connectorId}" is loaded`, { code: 'CONNECTOR_NOT_LOADED' });
    return connector;
  }
}

/**
 * Why a folder of TypeScript sources does not load in the compiled runtime (`npm run runtime:prod`
 * runs no TypeScript loader), and where its compiled counterpart is; empty for other failures.
 */
function typeScriptSourceHint(spec: string, cwd: string): string {
  const folder = resolve(cwd, spec);
  if (!existsSync(join(folder, 'index.ts')) || existsSync(join(folder, 'index.js'))) return '';
  const inCheckout = relative(cwd, folder);
  const compiled = inCheckout.startsWith('..') || isAbsolute(inCheckout) ? 'its compiled JavaScript' : `${join('dist', inCheckout)} (npm run build)`;
  return ` — it holds TypeScript sources (index.ts), which only the TypeScript start (npm run runtime) loads; name ${compiled} instead`;
}

/** A folder path (relative to the working directory) or an installed npm package name. */
function resolvePlugin(spec: string, cwd: string): string {
  const asPath = resolve(cwd, spec);
  if (existsSync(asPath)) return asPath;
  return require.resolve(spec, { paths: [cwd] });
}
