import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { createTestDatabase } from '@switchboard/persistence';
import { eventually } from './support/eventually';
import { RuntimeProcess, type RuntimeProcessOptions } from './support/runtime-process';

const ROOT = resolve(__dirname, '..');
const WEBHOOK_SECRET = 'whsec_compiled_runtime_test';
const STALE_FILE = 'stale-output-of-a-removed-source.js';
const ADMIN_KEY = `sb_${randomBytes(24).toString('base64url')}`;

/** The production start: `npm run build`, then `npm run runtime:prod` (compiled JavaScript, no TypeScript loader). */
describe('compiled runtime (npm run build, npm run runtime:prod)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let runtime: RuntimeProcess | undefined;
  let options: RuntimeProcessOptions;

  beforeAll(async () => {
    // A file no source compiles to any more (a removed migration, say) must not outlive a build.
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    writeFileSync(join(ROOT, 'dist', STALE_FILE), 'throw new Error("stale build output");\n');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
    database = await createTestDatabase();
    const flowsDir = join(mkdtempSync(join(tmpdir(), 'sb-prod-flows-')), 'flows');
    cpSync(
      join(ROOT, 'config/flows/clarity-order-created.yaml'),
      join(flowsDir, 'clarity-order-created.yaml'),
    );
    options = {
      name: 'compiled',
      compiled: true,
      database: { url: database.url, schema: database.schema },
      flowsDir,
      mappingsDir: join(ROOT, 'mappings'),
      masterKey: randomBytes(32).toString('base64'),
      adminKey: ADMIN_KEY,
      // Compiled plugins: the build puts the repository's connectors under dist/connectors.
      extraConfig: {
        plugins: [{ module: 'dist/connectors/clarity', baseUrl: 'http://127.0.0.1:9/clarity' }],
      },
    };
    runtime = await RuntimeProcess.start(options);
  });

  afterAll(async () => {
    await runtime?.stop();
    await database?.drop();
  });

  it('builds into a clean dist/: output of removed sources does not linger', () => {
    expect(existsSync(join(ROOT, 'dist', STALE_FILE))).toBe(false);
    expect(existsSync(join(ROOT, 'dist/apps/runtime/src/main.js'))).toBe(true);
  });

  it('loads a compiled connector plugin and runs a webhook through mapping, schema and bus', async () => {
    const connectors = await runtime!.api<{ items: Array<{ id: string; origin: string }> }>(
      'GET',
      '/api/connectors',
    );
    expect(connectors.json.items.map(({ id, origin }) => `${id} ${origin}`)).toEqual([
      'clarity dist/connectors/clarity',
    ]);
    expect(
      (await runtime!.api('PUT', '/api/secrets/clarity.webhookSecret', { value: WEBHOOK_SECRET }))
        .status,
    ).toBe(200);

    const rawBody = JSON.stringify({
      EventID: 'evt-compiled-1',
      EventType: 'order.created',
      OccurredAt: '2026-11-24T18:30:00Z',
      Data: {
        SalesOrder: {
          ID: 4711,
          CustomKey: 'SO-4711',
          StatusKey: 'Confirmed',
          CurrencyKey: 'EUR',
          Totals: {
            SubTotal: 99,
            Shipping: 0,
            Handling: 0,
            Fees: 0,
            Discounts: 0,
            Tax: 0,
            Total: 99,
          },
          SalesItems: [
            {
              ID: 1,
              ProductID: 7,
              Sku: 'SKU-7',
              Name: 'Desk lamp',
              Quantity: 1,
              UnitSoldPrice: 99,
            },
          ],
          CreatedDate: '2026-11-24T18:30:00Z',
        },
      },
    });
    const accepted = await fetch(`${runtime!.url}/hooks/clarity/order.created`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-clarity-signature': signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody }),
      },
      body: rawBody,
    });
    expect(accepted.status).toBe(202);

    const execution = await eventually(
      async () => {
        const page = await runtime!.api<{ items: Array<{ status: string; flowId: string }> }>(
          'GET',
          '/api/executions?flowId=clarity-order-created',
        );
        return page.json.items.find((item) => item.status !== 'retrying');
      },
      20_000,
      'the execution of the webhook',
    );
    expect(execution.status).toBe('succeeded');
  });

  it('serves the dashboard templates and assets and the OpenAPI document from the build', async () => {
    const login = await fetch(`${runtime!.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<html');
    const css = await fetch(`${runtime!.url}/dashboard/assets/dashboard.css`);
    expect(css.status).toBe(200);
    const openApi = await runtime!.api<{ paths: Record<string, unknown> }>('GET', '/api/docs-json');
    expect(openApi.status).toBe(200);
    expect(Object.keys(openApi.json.paths)).toContain('/api/flows');
  });

  it('loads a plugin built outside the repository that imports the SDK by its package name', async () => {
    // As a connector developer ships it: compiled CommonJS in its own folder, the SDK required by name.
    const pluginDir = mkdtempSync(join(tmpdir(), 'sb-external-plugin-'));
    writeFileSync(
      join(pluginDir, 'index.js'),
      [
        "const { defineAction, defineConnector, noAuth, ConnectorError } = require('@switchboard/connector-sdk');",
        'module.exports = defineConnector({',
        "  id: 'external-echo', version: '1.0.0', sdkVersion: '^1.0.0', auth: noAuth(), triggers: [],",
        '  healthCheck: async () => undefined,',
        '  actions: [defineAction({',
        "    name: 'echo', title: 'Echo', input: { type: 'object' }, output: { type: 'object' },",
        "    run: async (input) => { if (!(new ConnectorError('config', 'probe') instanceof Error)) throw new Error('no SDK'); return input; },",
        '  })],',
        '});',
        '',
      ].join('\n'),
    );
    const external = await RuntimeProcess.start({
      ...options,
      name: 'compiled-external-plugin',
      extraConfig: { plugins: [{ module: pluginDir, baseUrl: 'http://127.0.0.1:9/echo' }] },
    });
    try {
      const connectors = await external.api<{ items: Array<{ id: string }> }>(
        'GET',
        '/api/connectors',
      );
      expect(connectors.json.items.map(({ id }) => id)).toEqual(['external-echo']);
    } finally {
      await external.stop();
    }
  });

  it('refuses a plugin named by its TypeScript sources, pointing at the compiled one', async () => {
    const start = RuntimeProcess.start({
      ...options,
      name: 'compiled-ts-plugin',
      extraConfig: {
        plugins: [{ module: 'connectors/clarity', baseUrl: 'http://127.0.0.1:9/clarity' }],
      },
    });
    await expect(start).rejects.toThrow(
      /connectors\/clarity.*TypeScript.*dist\/connectors\/clarity/s,
    );
  });
});
