import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiKeyRole } from '@switchboard/persistence';

export const REQUIRED_ROLE = 'switchboard:required-role';

/**
 * The least role a route needs. Undecorated routes need `viewer` to read (GET) and `admin` for
 * anything else, so a forgotten decorator fails closed. Also documents the API-key scheme in OpenAPI.
 */
export function RequireRole(role: ApiKeyRole): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiSecurity('api-key'),
    ApiSecurity('bearer'),
    ApiExtension('x-required-role', role),
    ApiUnauthorizedResponse({ description: 'no API key, or an unknown or revoked one', schema: errorBody('unauthorized', 'the API key is unknown or revoked') }),
    ApiForbiddenResponse({ description: `the API key's role is below ${role}`, schema: errorBody('forbidden', `this route needs role ${role}; API key "grafana" has role viewer`) }),
    ApiTooManyRequestsResponse({ description: 'rate limit reached; see Retry-After', schema: errorBody('rate_limited', 'too many requests with API key sb_Xq3v9LmA; retry in 12 s') }),
  );
}

/** The shape every error answer has (`{error, message, details, path}`), with an example. */
function errorBody(error: string, message: string): Record<string, unknown> {
  return {
    type: 'object',
    required: ['error', 'message', 'path'],
    properties: { error: { type: 'string' }, message: { type: 'string' }, details: {}, path: { type: 'string' } },
    example: { error, message, path: '/api/dlq/0b7e9a1c-5d2f-4c3e-9a8b-7f6e5d4c3b2a/replay' },
  };
}
