import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { locateSystemRoute } from '../common/simulated-system';
import { faultReply } from './fault-replies';
import { type FaultInjector } from './fault-injector.service';

/** Releases requests a `timeout`/`slow` fault is holding, so the server can close promptly. */
export interface HeldRequests {
  releaseAll(): void;
}

/** Installs the HTTP-edge fault injection on every simulated system's routes. */
export function installFaultInjection(
  fastify: FastifyInstance,
  injector: FaultInjector,
): HeldRequests {
  const held = new Set<() => void>();
  let sequence = 0;

  const hold = (request: FastifyRequest, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        request.raw.socket.off('close', release);
        held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      request.raw.socket.once('close', release);
      held.add(release);
    });

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const located = locateSystemRoute(request.url);
    if (!located) return;
    const rule = injector.forRequest(located.system, request.method, located.path);
    if (!rule) return;
    switch (rule.kind) {
      case 'slow':
        await hold(request, rule.delayMs ?? 2_000);
        return;
      case 'timeout':
        // The real failure is silence: hold the connection, then drop it without an answer.
        await hold(request, rule.delayMs ?? 30_000);
        dropConnection(request, reply);
        return reply;
      case 'reset':
        dropConnection(request, reply);
        return reply;
      default: {
        const answer = faultReply(located.system, rule, (sequence += 1));
        void reply
          .code(answer.status)
          .headers(answer.headers ?? {})
          .type(answer.contentType ?? 'application/json; charset=utf-8')
          .send(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
        return reply;
      }
    }
  });

  return { releaseAll: () => [...held].forEach((release) => release()) };
}

function dropConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const socket = request.raw.socket;
  // resetAndDestroy sends a TCP RST, what a crashed upstream or a load balancer drop looks like.
  if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) socket.resetAndDestroy();
  else socket.destroy();
}
