import { type ScaffoldNames } from '../scaffold-names';

/** `test/fake-<id>.server.ts`: a tiny local stand-in for the remote, so the generated test passes as is. */
export function fakeServerTemplate(n: ScaffoldNames): string {
  return `import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import { type Item } from '../actions/item.schema';

/** A running stand-in for ${n.title}. */
export interface Fake${n.pascal} {
  url: string;
  close(): Promise<void>;
}

/**
 * Just enough of ${n.title} for the conformance suite, on 127.0.0.1 and a free port. Once the
 * sandbox simulates ${n.title}, point the conformance target at the sandbox instead.
 */
export async function startFake${n.pascal}(options: {
  apiKey: string;
}): Promise<Fake${n.pascal}> {
  const items = new Map<string, Item>([['item-1', { id: 'item-1', name: 'Sample', quantity: 1 }]]);
  const createdByKey = new Map<string, Item>();

  const answer = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.headers['x-api-key'] !== options.apiKey)
      return answer(response, 401, { message: 'unauthorized' });
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/health')
      return answer(response, 200, { status: 'ok' });
    const itemId = /^\\/items\\/([^/]+)$/.exec(path)?.[1];
    if (request.method === 'GET' && itemId !== undefined) {
      const item = items.get(decodeURIComponent(itemId));
      return item === undefined
        ? answer(response, 404, { message: 'no such item' })
        : answer(response, 200, item);
    }
    if (request.method === 'POST' && path === '/items') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Item>;
      if (typeof input.name !== 'string' || typeof input.quantity !== 'number') {
        return answer(response, 422, { message: 'name and quantity are required' });
      }
      const key = request.headers['idempotency-key'];
      const known = typeof key === 'string' ? createdByKey.get(key) : undefined;
      if (known !== undefined) return answer(response, 200, known);
      const item: Item = {
        id: \`item-\${items.size + 1}\`,
        name: input.name,
        quantity: input.quantity,
      };
      items.set(item.id, item);
      if (typeof key === 'string') createdByKey.set(key, item);
      return answer(response, 201, item);
    }
    answer(response, 404, { message: \`no route \${request.method ?? ''} \${path}\` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      answer(response, 500, { message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: \`http://127.0.0.1:\${port}\`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
`;
}
