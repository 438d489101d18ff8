import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { parseCookies } from '../common/request-cookies';
import { ClarityAuthService } from './clarity-auth.service';
import { pickParam } from './clarity-paging';

/** Lets a Clarity request through only when it is authenticated. */
@Injectable()
export class ClarityAuthGuard implements CanActivate {
  constructor(@Inject(ClarityAuthService) private readonly auth: ClarityAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const sessionHeader = request.headers['x-ss-id'];
    this.auth.authenticate({
      authorization: request.headers.authorization,
      cookies: parseCookies(request.headers.cookie),
      sessionHeader: typeof sessionHeader === 'string' ? sessionHeader : undefined,
      apiKeyParam: pickParam((request.query ?? {}) as Record<string, unknown>, 'apikey'),
    });
    return true;
  }
}
