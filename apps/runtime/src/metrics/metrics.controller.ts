import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute } from '../access/public-route.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { RuntimeMetrics } from './runtime-metrics';
import { ScrapeGauges } from './scrape-gauges.service';

/**
 * `GET /metrics` in Prometheus text format. Public like `/health`, because scrapers and probes sit on
 * the operator's network and hold no API key; `metrics.requireApiKey: true` asks for a viewer key instead.
 */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: RuntimeMetrics,
    private readonly gauges: ScrapeGauges,
  ) {}

  @Get()
  @PublicRoute({ when: (config) => !config.metrics.requireApiKey })
  @RequireRole('viewer')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics: flow events, durations, retries, DLQ size, lag, connector HTTP, breakers, alerts' })
  @ApiOkResponse({ description: 'text/plain; version=0.0.4', schema: { type: 'string', example: 'sb_flow_events_in_total{flow="clarity-order-created"} 42' } })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.gauges.refresh();
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType);
    return body;
  }
}
