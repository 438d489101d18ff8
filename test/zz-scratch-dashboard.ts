import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { chromium } from 'playwright-core';
import { startDemo } from '../apps/runtime/src/demo/demo-runner';
import { ShopServer } from './support/shop-server';

async function main(): Promise<void> {
  const shop = new ShopServer();
  const shopUrl = await shop.start();
  const dir = mkdtempSync(join(tmpdir(), 'sb-scratch-'));
  cpSync('config/flows', join(dir, 'flows'), { recursive: true });
  cpSync('test/fixtures/runtime/flows', join(dir, 'flows'), { recursive: true });
  cpSync('mappings', join(dir, 'mappings'), { recursive: true });
  cpSync('test/fixtures/runtime/mappings', join(dir, 'mappings'), { recursive: true });
  const key = `sb_${randomBytes(24).toString('base64url')}`;
  const demo = await startDemo({
    env: { LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sb_demo_try' },
    port: 0, sandboxPort: 0, adminKey: key, quiet: true,
    configure: (c) => {
      c.masterKey = randomBytes(32).toString('base64');
      c.flows.dir = join(dir, 'flows'); c.flows.mappingsDir = join(dir, 'mappings'); c.flows.hotReload = false;
      c.plugins.push({ module: resolve('test/fixtures/connectors/test-shop'), baseUrl: shopUrl });
    },
  });
  await fetch(`${demo.runtime.url}/api/secrets/test-shop.webhookSecret`, { method: 'PUT', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ value: 'whsec' }) });
  let t = Math.floor(Date.now() / 1000);
  const send = async (id: string, bad = false) => {
    const raw = JSON.stringify({ id: `evt-${id}`, type: 'order.created', order: bad ? { id, nope: true } : { id, currency: 'EUR', total: '12.30', createdAt: '2026-11-24T10:00:00Z' } });
    await fetch(`${demo.runtime.url}/hooks/test-shop/order.created`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shop-signature': signWebhookPayload({ secret: 'whsec', rawBody: raw, timestamp: ++t }) }, body: raw });
  };
  for (let i = 0; i < 40; i++) await send(`o-${i}`);
  await send('bad-1', true);
  shop.failSink(10);
  for (let i = 40; i < 45; i++) await send(`o-${i}`);
  await new Promise((r) => setTimeout(r, 3000));
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chr-')), { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'], viewport: { width: 1280, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demo.dashboardUrl);
  await page.fill('#apiKey', key);
  await page.click('button[type=submit]');
  await page.waitForURL(`${demo.runtime.url}/`);
  await page.locator('[data-live-state].on').waitFor();
  await page.screenshot({ path: '/tmp/scratch/full.png', fullPage: true });
  await context.close();
  await demo.close();
  await shop.stop();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
