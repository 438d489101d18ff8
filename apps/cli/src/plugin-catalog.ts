import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateConnectorPlugin, type ConnectorDefinition } from '@switchboard/connector-sdk';
import type { ConnectorCatalog } from '@switchboard/flow-engine';
import { parse } from 'yaml';

/**
 * The connectors named in the runtime config, as a catalog for flow validation, so `sb validate`
 * checks connector, event and action names the way the runtime will. Undefined when the config
 * names no plugins.
 */
export async function loadPluginCatalog(configFile: string): Promise<ConnectorCatalog | undefined> {
  if (!existsSync(configFile)) return undefined;
  const config = (parse(readFileSync(configFile, 'utf8')) ?? {}) as { plugins?: Array<{ module?: unknown }> };
  const modules = (config.plugins ?? []).map((plugin) => plugin.module).filter((m): m is string => typeof m === 'string');
  if (modules.length === 0) return undefined;
  const connectors = new Map<string, ConnectorDefinition>();
  for (const module of modules) {
    const path = existsSync(resolve(module)) ? resolve(module) : require.resolve(module, { paths: [process.cwd()] });
    const definition = validateConnectorPlugin(await import(path), module);
    connectors.set(definition.id, definition);
  }
  return {
    connectorIds: () => [...connectors.keys()],
    events: (id) => connectors.get(id)?.triggers.filter((t) => t.kind === 'webhook').flatMap((t) => t.events),
    actions: (id) => {
      const connector = connectors.get(id);
      if (connector === undefined) return undefined;
      return [...connector.actions.map((a) => a.name), ...connector.triggers.filter((t) => t.kind === 'poll').map((t) => t.name)];
    },
  };
}
