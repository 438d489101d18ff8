import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiPrincipal } from './api-principal';

/** Request as the access guard leaves it: the authenticated key, when the route needs one. */
export interface AuthenticatedRequest {
  principal?: ApiPrincipal;
}

/** The audit-log actor of the request: `key:<name>/<prefix>` of the API key that made it. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  return principal === undefined ? 'anonymous' : `key:${principal.name}/${principal.prefix}`;
});
