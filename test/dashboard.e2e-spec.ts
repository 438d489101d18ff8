import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase } from '@switchboard/persistence';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../apps/runtime/src/demo/demo-runner';
import { eventually } from './support/eventually';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// The README's and the tour's pictures are refreshed on request (SB_UPDATE_SCREENSHOTS=1); an
// ordinary run still takes every screenshot, into a temporary folder, and leaves the tree clean.
const SCREENSHOTS =
  process.env.SB_UPDATE_SCREENSHOTS === '1' ? resolve(__dirname, '../docs/screenshots') : mkdtempSync(join(tmpdir(), 'sb-screenshots-'));
const REPO = resolve(__dirname, '..');

/**
 * The repo's flows plus one that cannot take what it receives: every Payoneer payment the demo
 * traffic brings also dead-letters there, so the DLQ has items whatever state the real mappings are in.
 */
function flowsWithARejectingFlow(): { flowsDir: string; mappingsDir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'sb-dashboard-flows-'));
  const flowsDir = join(root, 'flows');
  const mappingsDir = join(root, 'mappings');
  cpSync(join(REPO, 'config/flows'), flowsDir, { recursive: true });
  cpSync(join(REPO, 'mappings'), mappingsDir, { recursive: true });
  mkdirSync(join(mappingsDir, 'dashboard-test'), { recursive: true });
  writeFileSync(join(mappingsDir, 'dashboard-test/payment-as-order.jsonata'), '{ "note": "a payment is not an order" }\n');
  writeFileSync(
    join(flowsDir, 'dashboard-test-rejects-payments.yaml'),
    [
      'id: dashboard-test-rejects-payments',
      'version: 1',
      'description: Test-only flow whose output never matches its schema, so each event is dead-lettered',
      'trigger:',
      '  webhook: { connector: payoneer, event: payment.received }',
      'transform:',
      '  mapping: dashboard-test/payment-as-order.jsonata',
      '  output: canonical.order@1',
      'target:',
      '  topic: test.dashboard.rejected',
      'key: "\'rejected\'"',
      '',
    ].join('\n'),
  );
  return { flowsDir, mappingsDir, root };
}

/**
 * The guided demo as a newcomer meets it: `startDemo` (sandbox + runtime + demo traffic) booted
 * in-process on free ports, then the dashboard driven in headless Chromium. The demo runs on its
 * default bus (memory) — that is what `npm start` gives people — against the e2e PostgreSQL.
 */
describe('dashboard on the running demo (headless Chromium)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let demo: RunningDemo;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  let flows: ReturnType<typeof flowsWithARejectingFlow>;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y --no-install-recommends chromium" (.ci/run does this in CI)`);
    }
    database = await createTestDatabase();
    flows = flowsWithARejectingFlow();
    demo = await startDemo({
      env: { LOG_LEVEL: 'warn' },
      port: 0,
      sandboxPort: 0,
      adminKey: `sb_${randomBytes(24).toString('base64url')}`,
      traffic: { ordersPerSecond: 5, maxOrders: 200, paidRatio: 0.7 },
      quiet: true,
      log: () => undefined,
      configure: (config) => {
        config.database.url = database.url;
        config.database.schema = database.schema;
        config.masterKey = randomBytes(32).toString('base64');
        config.flows.dir = flows.flowsDir;
        config.flows.mappingsDir = flows.mappingsDir;
        config.flows.hotReload = false;
      },
    });
    profileDir = mkdtempSync(join(tmpdir(), 'sb-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
    await demo?.close();
    await database?.drop();
    if (flows !== undefined) rmSync(flows.root, { recursive: true, force: true });
  });

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${demo.runtime.url}${path}`, { headers: { 'x-api-key': demo.adminKey } });
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function counter(name: string): Promise<number> {
    return Number(await page.locator(`[data-counter="${name}"]`).textContent());
  }

  it('asks for an API key and refuses a wrong one', async () => {
    await page.goto(demo.dashboardUrl);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#apiKey', 'sb_not-a-real-key-000000000000000');
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('not valid');
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
  });

  it('signs in with the admin key and shows live counters that move with the demo traffic', async () => {
    await page.fill('#apiKey', demo.adminKey);
    await page.click('button[type=submit]');
    await page.waitForURL(`${demo.runtime.url}/`);
    await expect(page.locator('[data-role]').textContent()).resolves.toBe('admin');
    const cookies = await context.cookies(demo.runtime.url);
    expect(cookies.find((cookie) => cookie.name === 'sb_dashboard')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.locator('[data-live-state].on').waitFor({ timeout: 15_000 });
    const before = await counter('executions');
    // The counters change without a reload: the page gets them over server-sent events.
    await eventually(async () => (await counter('executions')) > before, 30_000, 'the live executions counter to move');
    await page.reload();
    await page.locator('[data-live-state].on').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-overview.png'), fullPage: false });
    await page.locator('#transactions').screenshot({ path: join(SCREENSHOTS, 'dashboard-transactions.png') });
  });

  it('replays a dead letter with one click, as an operator would', async () => {
    const deadLetter = await eventually(
      async () => (await api<{ items: Array<{ id: string; flowId: string }> }>('/api/dlq?status=pending&flowId=dashboard-test-rejects-payments')).items[0],
      30_000,
      'a pending dead letter from the demo',
    );
    await page.goto(`${demo.runtime.url}/#dlq`);
    await page.locator('#dlq').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-dlq.png') });
    // The newest letters push older ones off the page: filter to the flow, as an operator would.
    await page.selectOption('select[name=dlqFlow]', 'dashboard-test-rejects-payments');
    await page.click('#dlq button:has-text("Filter")');
    await page.waitForURL(/dlqFlow=dashboard-test-rejects-payments/);
    const row = page.locator(`[data-dead-letter="${deadLetter.id}"]`);
    await row.waitFor();

    await row.locator('button.replay').click();
    await page.waitForURL(/notice=/);
    await expect(page.locator('[data-notice]').textContent()).resolves.toContain(`Replayed dead letter ${deadLetter.id}`);
    const replayed = await api<{ status: string }>(`/api/dlq/${deadLetter.id}`);
    expect(replayed.status).toBe('replayed');
  });

  it('finds a transaction by search and opens its execution with the step trace', async () => {
    await page.goto(`${demo.runtime.url}/`);
    await page.fill('#transactions input[name=q]', 'dashboard-test-rejects');
    await page.click('#transactions button[type=submit]');
    await page.waitForURL(/q=dashboard-test-rejects/);
    const flows = await page.locator('#transactions tbody tr td:nth-child(3)').allTextContents();
    expect(flows.length).toBeGreaterThan(0);
    expect(new Set(flows)).toEqual(new Set(['dashboard-test-rejects-payments']));
    await page.locator('#transactions a[href^="/dashboard/executions/"]').first().click();
    await page.waitForURL(/\/dashboard\/executions\//);
    await expect(page.locator('h2').first().textContent()).resolves.toBe('Step trace');
    await expect(page.locator('.trace').textContent()).resolves.toContain('output does not match canonical.order@1');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-execution.png') });
  });
});
