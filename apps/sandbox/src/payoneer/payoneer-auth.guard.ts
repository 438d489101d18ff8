import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { PayoneerOAuthService } from './payoneer-oauth.service';

/** Lets a `/v4` request through only with a live bearer token. */
@Injectable()
export class PayoneerAuthGuard implements CanActivate {
  constructor(@Inject(PayoneerOAuthService) private readonly oauth: PayoneerOAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    this.oauth.authenticate(
      context.switchToHttp().getRequest<FastifyRequest>().headers.authorization,
    );
    return true;
  }
}
