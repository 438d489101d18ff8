import { type ScaffoldNames } from '../scaffold-names';

/** `<id>.connector.ts`: the plugin's manifest. */
export function connectorTemplate(n: ScaffoldNames): string {
  return `import { apiKey, defineConnector } from '@switchboard/connector-sdk';

import { createItem } from './actions/create-item.action';
import { getItem } from './actions/get-item.action';
import { classify${n.pascal}Error } from './${n.id}.errors';
import { itemEvents } from './triggers/item-events.trigger';

/**
 * ${n.title}: describe the remote system here. Scaffolded by the connector SDK; replace the
 * sample item actions with the remote's real operations, keeping one file per action/trigger.
 */
export default defineConnector({
  id: '${n.id}',
  version: '0.1.0',
  sdkVersion: '^1.0.0',
  title: '${n.title}',
  auth: apiKey({ header: 'X-Api-Key', secretNames: ['apiKey'] }),
  http: { timeoutMs: 10_000, retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 } },
  actions: [getItem, createItem],
  triggers: [itemEvents],
  classifyError: classify${n.pascal}Error,
  async healthCheck({ http }) {
    await http.get('/health');
  },
});
`;
}
