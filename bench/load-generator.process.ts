/**
 * The load generator, run as its own process (forked by bench/lib/run-load.ts) so its CPU is not
 * the runtime's: signs Clarity order webhooks and posts them at a fixed rate or at saturation.
 */
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { Pool } from 'undici';
import { preciseNow } from './lib/bench-sink';
import { clarityOrder } from './lib/clarity-order';
import type { LoadPlan, LoadResult } from './lib/load-plan';

async function generate(plan: LoadPlan): Promise<LoadResult> {
  // The connections are shared out over the instances, as a load balancer in front of them would.
  const pools = plan.urls.map(
    (url) =>
      new Pool(url, {
        connections: Math.ceil(plan.connections / plan.urls.length),
        pipelining: 1,
        keepAliveTimeout: 60_000,
      }),
  );
  const sentAt = new Float64Array(plan.maxRequests).fill(NaN);
  const answeredAt = new Float64Array(plan.maxRequests).fill(NaN);
  const status = new Uint16Array(plan.maxRequests);
  let firstError: string | undefined;
  let next = 0;
  const started = preciseNow();
  const deadline = started + plan.seconds * 1000;

  const send = async (index: number): Promise<void> => {
    const orderId = plan.firstOrderId + index;
    const body = JSON.stringify({
      id: `evt-${orderId}`,
      type: 'order.created',
      order: clarityOrder(orderId),
    });
    const signature = signWebhookPayload({
      secret: plan.webhookSecret,
      rawBody: body,
      timestamp: Math.floor(Date.now() / 1000),
    });
    sentAt[index] = preciseNow();
    try {
      const response = await pools[index % pools.length]!.request({
        method: 'POST',
        path: '/hooks/bench-shop/order.created',
        headers: { 'content-type': 'application/json', 'x-bench-signature': signature },
        body,
      });
      await response.body.text();
      status[index] = response.statusCode;
      // 503 is back-pressure, counted apart from errors.
      if (response.statusCode !== 202 && response.statusCode !== 503)
        firstError ??= `HTTP ${response.statusCode}`;
    } catch (error) {
      firstError ??= (error as Error).message;
    }
    answeredAt[index] = preciseNow();
  };

  if (plan.rate === 0) {
    // Saturation: each connection sends its next request as soon as the previous one is answered.
    const worker = async (): Promise<void> => {
      while (next < plan.maxRequests && preciseNow() < deadline) await send(next++);
    };
    await Promise.all(Array.from({ length: plan.connections }, worker));
  } else {
    // Fixed rate: request i is due at start + i/rate; late ones go out at once (open model, no coordinated omission).
    const inFlight = new Set<Promise<void>>();
    while (next < plan.maxRequests && preciseNow() < deadline) {
      const due = Math.min(
        plan.maxRequests,
        Math.floor(((preciseNow() - started) * plan.rate) / 1000) + 1,
      );
      while (next < due) {
        const request = send(next++);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  }
  const durationMs = preciseNow() - started;
  await Promise.all(pools.map((pool) => pool.close()));
  return { sent: next, sentAt, answeredAt, status, firstError, durationMs };
}

process.once('message', (plan: LoadPlan) => {
  generate(plan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
});
