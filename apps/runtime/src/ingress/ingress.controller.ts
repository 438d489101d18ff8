import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicRoute } from '../access/public-route.decorator';
import { ApiError } from '../http/api-error';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import { BusUnavailableError, IngressService, type IngressReceipt } from './ingress.service';
import { WebhookRejectedError } from './webhook-gateway';

/**
 * `POST /hooks/:connector/:event` — authenticated by the connector's signature, not by API key.
 * Counts its answers itself (`sb_ingress_webhooks_total`): a Nest interceptor on this, the
 * hottest route, cost an rxjs pipeline and two AsyncResource bindings per webhook.
 */
@ApiTags('ingress')
@PublicRoute({ rateLimit: 'ingress' })
@Controller('hooks')
export class IngressController {
  constructor(
    private readonly ingress: IngressService,
    private readonly metrics: RuntimeMetrics,
  ) {}

  @Post(':connector/:event')
  @HttpCode(202)
  @ApiOperation({ summary: 'Receive a webhook; 202 once every event is accepted by the bus' })
  @ApiAcceptedResponse({
    schema: {
      example: { accepted: [{ eventId: 'evt-SO-10042', flows: ['clarity-order-created'] }] },
    },
  })
  @ApiResponse({
    status: 401,
    description: 'signature missing, wrong or too old',
    schema: {
      example: {
        error: 'webhook_rejected',
        message: 'bad_signature: the signature does not match the body',
        path: '/hooks/clarity/order.created',
      },
    },
  })
  @ApiResponse({
    status: 429,
    description: 'this sender exceeded access.rateLimit.ingress; see Retry-After',
  })
  async receive(
    @Param('connector') connector: string,
    @Param('event') event: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngressReceipt> {
    void reply;
    try {
      const receipt = await this.accept(connector, event, request);
      this.metrics.webhookAnswered(connector, 202);
      return receipt;
    } catch (error) {
      this.metrics.webhookAnswered(connector, answerStatus(error));
      throw error;
    }
  }

  private accept(
    connector: string,
    event: string,
    request: FastifyRequest & { rawBody?: Buffer },
  ): Promise<IngressReceipt> {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `webhooks must be JSON (content-type application/json), got "${contentType || 'none'}"`,
      );
    }
    if (
      request.rawBody === undefined ||
      request.rawBody.length === 0 ||
      request.body === undefined
    ) {
      throw new ApiError(400, 'empty_body', 'the webhook body is empty');
    }
    return this.ingress.receive({
      connector,
      event,
      url: request.url,
      headers: request.headers,
      rawBody: request.rawBody,
      body: request.body,
    });
  }
}

function answerStatus(error: unknown): number {
  if (error instanceof ApiError || error instanceof WebhookRejectedError) return error.status;
  if (error instanceof BusUnavailableError) return 503;
  return 500;
}
