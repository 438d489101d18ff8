import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PayoutConflictError } from '@switchboard/persistence';
import { PayoutGatewayError, PayoutInputError, PayoutNotFoundError, PayoutStateError } from '@switchboard/payouts';
import { DeadLetterStateError } from '../dlq/dead-letter.service';
import { BusUnavailableError } from '../ingress/ingress.service';
import { WebhookRejectedError } from '../ingress/webhook-gateway';
import { ApiError } from './api-error';

/** Body of every error answer: `{error, message, details, path}`. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: unknown;
  path: string;
}

/** Maps domain errors to HTTP answers at the edge, with one consistent body shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, headers } = this.describe(exception, request.url);
    if (status >= 500) this.logger.error(`${request.method} ${request.url} → ${status}: ${body.message}`);
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    // A route may have set its own type (a CSV export) before failing: the error body is JSON.
    void reply.header('content-type', 'application/json; charset=utf-8');
    void reply.status(status).send(body);
  }

  private describe(exception: unknown, path: string): { status: number; body: ApiErrorBody; headers: Record<string, string> } {
    if (exception instanceof ApiError) {
      return { status: exception.status, body: { error: exception.code, message: exception.message, details: exception.details, path }, headers: exception.headers ?? {} };
    }
    if (exception instanceof WebhookRejectedError) {
      return { status: exception.status, body: { error: 'webhook_rejected', message: exception.message, path }, headers: {} };
    }
    if (exception instanceof BusUnavailableError) {
      return { status: 503, body: { error: 'bus_unavailable', message: exception.message, path }, headers: { 'retry-after': String(exception.retryAfterSeconds) } };
    }
    if (exception instanceof DeadLetterStateError) {
      return { status: 409, body: { error: 'conflict', message: exception.message, path }, headers: {} };
    }
    const payout = describePayoutError(exception);
    if (payout !== undefined) return { status: payout.status, body: { ...payout.body, path }, headers: {} };
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const status = exception.getStatus();
      if (typeof response === 'object' && response !== null && 'message' in response) {
        const { message, error } = response as { message: unknown; error?: string };
        // class-validator answers an array of messages: keep them as details, summarise in message.
        if (Array.isArray(message)) {
          return { status, body: { error: slug(error ?? 'bad_request'), message: message.join('; '), details: message, path }, headers: {} };
        }
        return { status, body: { error: slug(error ?? exception.name), message: String(message), path }, headers: {} };
      }
      return { status, body: { error: slug(exception.name), message: typeof response === 'string' ? response : exception.message, path }, headers: {} };
    }
    // Fastify's own errors (body too large, bad JSON, unsupported type) carry a statusCode and a code.
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      return { status: fastifyError.statusCode, body: { error: slug(fastifyError.code ?? 'bad_request'), message: fastifyError.message ?? 'bad request', path }, headers: {} };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { status: 500, body: { error: 'internal_error', message: 'internal error; see the runtime log', path }, headers: {} };
  }
}

function slug(text: string): string {
  return text.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/[\s-]+/g, '_').toLowerCase();
}

/** The payouts lib's deliberate errors: bad input 400 (each problem in details), unknown 404, wrong state or duplicate 409, Payoneer 502. */
function describePayoutError(exception: unknown): { status: number; body: Omit<ApiErrorBody, 'path'> } | undefined {
  if (exception instanceof PayoutInputError) return { status: 400, body: { error: 'bad_request', message: exception.message, details: exception.problems } };
  if (exception instanceof PayoutNotFoundError) return { status: 404, body: { error: 'not_found', message: exception.message } };
  if (exception instanceof PayoutStateError || exception instanceof PayoutConflictError) return { status: 409, body: { error: 'conflict', message: exception.message } };
  if (exception instanceof PayoutGatewayError) {
    return { status: 502, body: { error: 'payoneer_unavailable', message: exception.message, details: { failure: exception.failure } } };
  }
  return undefined;
}
