import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { FrappeApiError } from './frappe-api.error';

/**
 * Frappe token auth: `token <key>:<secret>` or `Basic base64(<key>:<secret>)`. Without a
 * header the call runs as Guest and a resource call fails with 403, not 401.
 */
@Injectable()
export class ErpAuthGuard implements CanActivate {
  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (!header) throw new FrappeApiError('PermissionError', 'Not permitted', 403);
    const [scheme = '', value = ''] = header.split(' ', 2);
    let pair: string;
    if (scheme.toLowerCase() === 'token') pair = value;
    else if (scheme.toLowerCase() === 'basic') {
      pair = Buffer.from(value, 'base64').toString('utf8');
      if (!pair.includes(':'))
        throw new FrappeApiError(
          'InvalidAuthorizationToken',
          'Invalid base64 or credentials in Authorization header',
          400,
        );
    } else throw new FrappeApiError('AuthenticationError', 'Invalid authorization scheme', 401);
    const { apiKey, apiSecret } = this.options.credentials.erp;
    if (pair !== `${apiKey}:${apiSecret}`)
      throw new FrappeApiError('AuthenticationError', 'Authentication failed', 401);
    return true;
  }
}
