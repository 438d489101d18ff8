import { Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicRoute } from '../access/public-route.decorator';
import { ApiError } from '../http/api-error';
import { IngressMetricsInterceptor } from '../metrics/ingress-metrics.interceptor';
import { IngressService, type IngressReceipt } from './ingress.service';

/** `POST /hooks/:connector/:event` — authenticated by the connector's signature, not by API key. */
@ApiTags('ingress')
@PublicRoute({ rateLimit: 'ingress' })
@UseInterceptors(IngressMetricsInterceptor)
@Controller('hooks')
export class IngressController {
  constructor(private readonly ingress: IngressService) {}

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
    void reply;
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
