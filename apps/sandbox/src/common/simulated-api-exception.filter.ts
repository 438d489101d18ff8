import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { replyForError } from './error-replies';

/** Sends every failure in the addressed system's own error shape. */
@Catch()
export class SimulatedApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Sandbox');
  private sequence = 0;

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const answer = replyForError(exception, request.url, (this.sequence += 1), this.logger);
    void reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .type(answer.contentType ?? 'application/json; charset=utf-8')
      .send(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  }
}
