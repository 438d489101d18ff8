import { join, resolve } from 'node:path';
import { ConnectorPluginError } from '@switchboard/connector-sdk';
import type { SecretStore } from '@switchboard/persistence';
import { ConnectorRegistry } from './connector-registry.service';

const ROOT = resolve(__dirname, '../../../..');
const TEST_SHOP = join(ROOT, 'test/fixtures/connectors/test-shop');
const secrets = { get: async () => undefined } as unknown as SecretStore;

describe('ConnectorRegistry.load', () => {
  it('loads the configured plugins and lists their ids', async () => {
    const registry = await ConnectorRegistry.load(
      [{ module: TEST_SHOP, baseUrl: 'http://127.0.0.1:9' }],
      { secrets, cwd: ROOT },
    );
    expect(registry.connectorIds()).toEqual(['test-shop']);
  });

  it('fails boot when two plugins provide the same connector id, naming both', async () => {
    const load = ConnectorRegistry.load(
      [
        { module: TEST_SHOP, baseUrl: 'http://127.0.0.1:9' },
        { module: 'test/fixtures/connectors/test-shop/index.ts', baseUrl: 'http://127.0.0.1:9' },
      ],
      { secrets, cwd: ROOT },
    );
    await expect(load).rejects.toBeInstanceOf(ConnectorPluginError);
    await expect(load).rejects.toThrow(
      `connector id "test-shop" is already provided by ${TEST_SHOP}`,
    );
  });

  it('fails boot on a plugin that cannot be imported, naming the module', async () => {
    await expect(
      ConnectorRegistry.load(
        [{ module: 'connectors/does-not-exist', baseUrl: 'http://127.0.0.1:9' }],
        { secrets, cwd: ROOT },
      ),
    ).rejects.toThrow(/connectors\/does-not-exist/);
  });
});
