import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { ApiError } from '../http/api-error';
import { BusUnavailableError } from '../ingress/ingress.service';
import { WebhookRejectedError } from '../ingress/webhook-gateway';
import { RuntimeMetrics } from './runtime-metrics';

/** Counts webhook answers per connector and status (`sb_ingress_webhooks_total`). */
@Injectable()
export class IngressMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: RuntimeMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const connector = context.switchToHttp().getRequest<FastifyRequest<{ Params: { connector?: string } }>>().params.connector ?? 'unknown';
    return next.handle().pipe(
      tap({
        next: () => this.metrics.webhookAnswered(connector, 202),
        error: (error: unknown) => this.metrics.webhookAnswered(connector, statusOf(error)),
      }),
    );
  }
}

function statusOf(error: unknown): number {
  if (error instanceof ApiError || error instanceof WebhookRejectedError) return error.status;
  if (error instanceof BusUnavailableError) return 503;
  return 500;
}
