/**
 * The floor of the end-to-end benchmark (`npm run bench:e2e -- --mode floor`): the least any
 * integration runtime has to do per event on this harness, in one Node process — take the signed
 * webhook over HTTP (fastify, as the runtime), check its HMAC signature with the SDK's check,
 * parse it, answer 202, map the order with the hand-written JavaScript of the reference mapping
 * and POST the canonical order to the sink (undici, as the runtime). No bus, no execution records,
 * no schema validation, no retries, no logging. The same load generator and sink run against it,
 * so the runtime's figures can be read as a share of what this machine and harness allow at all.
 *
 * SB_BENCH_FLOOR_MAPPING=jsonata maps with the reference JSONata mapping through MappingEngine
 * instead (as the runtime evaluates it), to price the mapping language on its own.
 *
 * Started by bench/lib/floor-process.ts: argv[2] is the sink URL, SB_BENCH_WEBHOOK_SECRET the secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyHmacSignature } from '@switchboard/connector-sdk';
import { MappingEngine, TableMappingFunctions } from '@switchboard/flow-engine';
import fastify from 'fastify';
import { Pool } from 'undici';
import { parse } from 'yaml';
import { clarityOrderToCanonical } from './lib/clarity-order-to-canonical';

async function main(): Promise<void> {
  const sinkUrl = process.argv[2];
  const secret = process.env.SB_BENCH_WEBHOOK_SECRET;
  if (sinkUrl === undefined || secret === undefined)
    throw new Error('usage: floor.process.ts <sink url> (SB_BENCH_WEBHOOK_SECRET set)');
  const statusTables = parse(
    readFileSync(join(__dirname, '../mappings/statuses.yaml'), 'utf8'),
  ) as Record<string, Record<string, string>>;
  const statuses = new Map(Object.entries(statusTables['clarity.order'] ?? {}));
  const map = mapper(process.env.SB_BENCH_FLOOR_MAPPING ?? 'js', statusTables, statuses);
  const sink = new Pool(sinkUrl, { connections: 32, keepAliveTimeout: 60_000 });
  let failedDeliveries = 0;

  const deliver = async (order: Record<string, unknown>): Promise<void> => {
    try {
      const response = await sink.request({
        method: 'POST',
        path: '/sink/orders',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      await response.body.text();
      if (response.statusCode !== 200) failedDeliveries += 1;
    } catch {
      failedDeliveries += 1;
    }
  };

  const app = fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/hooks/bench-shop/order.created', async (request, reply) => {
    const rawBody = request.body as Buffer;
    const verification = await verifyHmacSignature(
      { method: request.method, url: request.url, headers: request.headers, rawBody },
      secret,
      { header: 'x-bench-signature' },
    );
    if (!verification.valid) return reply.code(401).send({ error: verification.reason });
    let delivery: { id?: string; order?: unknown };
    try {
      delivery = JSON.parse(rawBody.toString('utf8')) as { id?: string; order?: unknown };
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
    void map(delivery.order).then(deliver, () => (failedDeliveries += 1));
    return reply.code(202).send({ accepted: delivery.id });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`floor listening on ${url}\n`);
  const stop = (): void => {
    if (failedDeliveries > 0)
      process.stderr.write(`floor: ${failedDeliveries} deliveries failed\n`);
    void app
      .close()
      .then(() => sink.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The mapping step: the hand-written JavaScript, or the reference JSONata mapping on the runtime's engine. */
function mapper(
  kind: string,
  statusTables: Record<string, Record<string, string>>,
  statuses: ReadonlyMap<string, string>,
): (order: unknown) => Promise<Record<string, unknown>> {
  if (kind === 'js') return (order) => Promise.resolve(clarityOrderToCanonical(order, statuses));
  if (kind !== 'jsonata')
    throw new Error(`SB_BENCH_FLOOR_MAPPING must be js or jsonata, got "${kind}"`);
  const lookups = Object.fromEntries(
    Object.entries(statusTables).map(([name, table]) => [`status.${name}`, table]),
  );
  const mapping = new MappingEngine(new TableMappingFunctions({ lookups })).compileFile(
    join(__dirname, '../mappings/clarity-to-canonical/order.jsonata'),
  );
  return async (order) => (await mapping.evaluate(order)) as Record<string, unknown>;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
