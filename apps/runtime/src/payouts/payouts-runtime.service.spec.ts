import { MemoryEventBus } from '@switchboard/event-bus';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { type DataSource } from 'typeorm';
import { type AlertService } from '../alerts/alert.service';
import { loadRuntimeConfig, RuntimeConfigError } from '../config/load-runtime-config';
import { type ConnectorRegistry } from '../connectors/connector-registry.service';
import { PayoutsRuntime } from './payouts-runtime.service';

describe('PayoutsRuntime', () => {
  const build = (enabled: boolean, loaded: string[]) => {
    const config = loadRuntimeConfig(undefined, {});
    config.payouts.enabled = enabled;
    config.payouts.account = '100000001';
    const connectors = {
      list: () => loaded.map((id) => ({ definition: { id } })),
    } as unknown as ConnectorRegistry;
    const unused = {} as DataSource;
    return () =>
      new PayoutsRuntime(
        config,
        unused,
        {} as AlertService,
        SchemaRegistry.load(),
        connectors,
        new MemoryEventBus(),
        connectors,
      );
  };

  it('stops the boot, naming the setting, when payouts are enabled without their connectors', () => {
    expect(build(true, ['payoneer'])).toThrow(RuntimeConfigError);
    expect(build(true, ['payoneer'])).toThrow(
      'payouts.clarityConnector: no connector "clarity" is loaded (plugins: payoneer)',
    );
  });

  it('stays out of the way when payouts are disabled, answering the API with 409', () => {
    const runtime = build(false, [])();
    expect(runtime.enabled).toBe(false);
    expect(() => runtime.require()).toThrow(
      expect.objectContaining({ status: 409, code: 'payouts_disabled' }) as Error,
    );
  });
});
