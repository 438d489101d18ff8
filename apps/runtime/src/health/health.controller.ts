import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { EventBus } from '@switchboard/event-bus';
import { DataSource } from 'typeorm';
import { PublicRoute } from '../access/public-route.decorator';
import { EVENT_BUS } from '../runtime.tokens';

interface Check {
  status: 'up' | 'down';
  detail?: string;
}

@ApiTags('health')
// Probes (load balancers, Kubernetes) hold no API key, and the answers reveal no data.
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database and bus can take work (503 otherwise)' })
  @ApiOkResponse({ schema: { example: { status: 'ready', checks: { database: { status: 'up' }, bus: { status: 'up', detail: 'kafka' } } } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'not_ready', checks: { database: { status: 'up' }, bus: { status: 'down', detail: 'no answer within 2000 ms' } } } } })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: 'ready' | 'not_ready'; checks: Record<string, Check> }> {
    const [database, bus] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.bus.checkHealth()),
    ]);
    const checks = { database, bus: { ...bus, detail: bus.detail ?? `${this.bus.transport}${this.bus.durable ? '' : ' (not durable)'}` } };
    const ready = database.status === 'up' && bus.status === 'up';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks };
  }
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(probe(), 2000);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', detail: (error as Error).message };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
