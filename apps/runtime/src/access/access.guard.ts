import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiKeyRole } from '@switchboard/persistence';
import type { FastifyRequest } from 'fastify';
import { RuntimeConfig } from '../config/runtime-config';
import { ApiError } from '../http/api-error';
import { ApiKeyService } from './api-key.service';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { PUBLIC_ROUTE, type PublicRouteOptions } from './public-route.decorator';
import { RateLimiter } from './rate-limiter';
import { REQUIRED_ROLE } from './require-role.decorator';
import { roleAllows } from './role-allows';

/**
 * Global guard on every controller route: public routes (health, metrics, signed webhooks) pass,
 * everything else needs an API key (`x-api-key` or `Authorization: Bearer`) whose role is high enough.
 * Rate limits count per key on the API and per address on the ingress.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly apiLimiter: RateLimiter;
  private readonly ingressLimiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly config: RuntimeConfig,
  ) {
    const { rateLimit } = config.access;
    this.apiLimiter = new RateLimiter(rateLimit.api, rateLimit.windowMs);
    this.ingressLimiter = new RateLimiter(rateLimit.ingress, rateLimit.windowMs);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const publicRoute = this.reflector.getAllAndOverride<PublicRouteOptions | undefined>(PUBLIC_ROUTE, targets);
    if (publicRoute !== undefined && (publicRoute.when === undefined || publicRoute.when(this.config))) {
      if (publicRoute.rateLimit === 'ingress') this.limit(this.ingressLimiter, `ip:${request.ip}`, 'webhook deliveries from this address');
      return true;
    }
    const required =
      this.reflector.getAllAndOverride<ApiKeyRole | undefined>(REQUIRED_ROLE, targets) ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'admin');
    const presented = presentedKey(request);
    if (presented === undefined) {
      this.limit(this.apiLimiter, `ip:${request.ip}`, 'requests from this address');
      throw new ApiError(401, 'unauthorized', 'an API key is required: send it as the x-api-key header or as Authorization: Bearer <key>');
    }
    const principal = await this.keys.authenticate(presented);
    if (principal === undefined) {
      this.limit(this.apiLimiter, `ip:${request.ip}`, 'requests from this address');
      throw new ApiError(401, 'unauthorized', 'the API key is unknown or revoked');
    }
    this.limit(this.apiLimiter, `key:${principal.id}`, `requests with API key ${principal.prefix}`);
    if (!roleAllows(principal.role, required)) {
      throw new ApiError(403, 'forbidden', `${request.method} ${request.routeOptions.url ?? request.url} needs role ${required}; API key "${principal.name}" has role ${principal.role}`, {
        required,
        role: principal.role,
      });
    }
    request.principal = principal;
    return true;
  }

  private limit(limiter: RateLimiter, client: string, what: string): void {
    const waitMs = limiter.take(client);
    if (waitMs === 0) return;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new ApiError(429, 'rate_limited', `too many ${what}; retry in ${seconds} s`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey !== undefined && apiKey !== '') return apiKey.trim();
  const authorization = request.headers.authorization;
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return bearer;
}
