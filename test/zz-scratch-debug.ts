import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { startDemo } from '../apps/runtime/src/demo/demo-runner';

async function main(): Promise<void> {
  const key = `sb_${randomBytes(24).toString('base64url')}`;
  const demo = await startDemo({
    env: { LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sb_demo_try' },
    port: 0, sandboxPort: 0, adminKey: key, quiet: true, traffic: { ordersPerSecond: 5, maxOrders: 50, paidRatio: 0.9 },
    configure: (c) => { c.masterKey = randomBytes(32).toString('base64'); c.flows.hotReload = false; },
  });
  await new Promise((r) => setTimeout(r, 8000));
  const deliveries = await (await fetch(`${demo.sandbox.urls.control}/webhooks/deliveries`)).json();
  console.log(JSON.stringify(deliveries).slice(0, 1500));
  console.log(JSON.stringify(await (await fetch(`${demo.sandbox.urls.control}/traffic`)).json()));
  const dl = await fetch(`${demo.runtime.url}/api/dlq?flowId=clarity-order-created`, { headers: { 'x-api-key': key } });
  console.log(dl.status, (await dl.text()).slice(0, 800));
  const ex = await (await fetch(`${demo.runtime.url}/api/executions?limit=1&key=clarity-order:999999`, { headers: { 'x-api-key': key } })).json();
  console.log(JSON.stringify(ex).slice(0, 1500));
  await demo.close();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
