import { STATUS_CODES } from 'node:http';
import { HttpException, type Logger } from '@nestjs/common';
import { ClarityApiError } from '../clarity/clarity-api.error';
import { FrappeApiError } from '../erp/frappe-api.error';
import { PayoneerApiError } from '../payoneer/payoneer-api.error';
import { SimulatedApiError, type SimulatedReply } from './simulated-api.error';
import { locateSystemRoute, type SimulatedSystem } from './simulated-system';
import { displayText } from './display-text';

/**
 * Turns any failure into the reply the addressed system would give: its own API errors
 * as they are, framework errors (unknown route, unreadable body) re-shaped per system,
 * and the sandbox's own control routes in Nest's usual shape.
 */
export function replyForError(
  error: unknown,
  url: string,
  sequence: number,
  logger: Logger,
): SimulatedReply {
  if (error instanceof SimulatedApiError) return error.toReply(sequence);
  const status = statusOf(error);
  if (status >= 500)
    logger.error(`unhandled error on ${url}: ${(error as Error).stack ?? String(error)}`);
  const message = status >= 500 ? 'Internal server error' : messageOf(error);
  const located = locateSystemRoute(url);
  if (!located) {
    const body =
      error instanceof HttpException
        ? error.getResponse()
        : { statusCode: status, message, error: STATUS_CODES[status] };
    return { status, body };
  }
  return systemError(located.system, status, message, located.path).toReply(sequence);
}

function systemError(
  system: SimulatedSystem,
  status: number,
  message: string,
  path: string,
): SimulatedApiError {
  const notFound = status === 404;
  switch (system) {
    case 'clarity':
      return notFound
        ? new ClarityApiError(404, 'NotFound', `Handler for Request not found (404): ${path}`)
        : new ClarityApiError(
            status,
            status >= 500 ? 'Exception' : 'SerializationException',
            message,
          );
    case 'payoneer':
      return new PayoneerApiError(status, notFound ? 'Resource not found' : message, {
        code: status,
      });
    case 'erp':
      return notFound
        ? new FrappeApiError('DoesNotExistError', `Page ${path} not found`, 404)
        : new FrappeApiError(status >= 500 ? 'Exception' : 'ValidationError', message, status);
  }
}

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  const statusCode = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
}

function messageOf(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : displayText(message ?? error.message);
  }
  return error instanceof Error ? error.message : String(error);
}
