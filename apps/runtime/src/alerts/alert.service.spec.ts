import { AlertRepository, createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { loadRuntimeConfig, RuntimeConfigError } from '../config/load-runtime-config';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import { AlertService } from './alert.service';

describe('AlertService', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  function service(template?: string): AlertService {
    const config = loadRuntimeConfig(undefined, {});
    if (template !== undefined) config.alerts.template = template;
    return new AlertService(new AlertRepository(db.dataSource), config, new RuntimeMetrics());
  }

  it('renders the webhook text from the configured template, with details reachable', async () => {
    const alerts = service('{{rule}}/{{severity}} {{subject}} x{{count}} ({{details.payee}})');
    const alert = await alerts.raise({ rule: 'invalid_payee', severity: 'warning', subject: 'payee-9', message: 'payee inactive', details: { payee: 'ACME Ltd' } });
    expect(alerts.payload(alert)).toMatchObject({
      text: 'invalid_payee/warning payee-9 x1 (ACME Ltd)',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'invalid_payee/warning payee-9 x1 (ACME Ltd)' } }, expect.objectContaining({ type: 'context' })],
    });
    await alerts.settled();
  });

  it('refuses a broken template at boot, naming the setting', () => {
    expect(() => service('{{#if rule}} unclosed')).toThrow(RuntimeConfigError);
    expect(() => service('{{#if rule}} unclosed')).toThrow(/alerts\.template/);
  });
});
