import { Inject, Injectable } from '@nestjs/common';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { PayoneerApiError, PayoneerOAuthError } from './payoneer-api.error';

interface IssuedToken {
  expiresAtMs: number;
  scope: string;
}

/** What the token endpoint reads from a request. */
export interface TokenRequest {
  authorization?: string;
  body: Record<string, unknown>;
}

/** Payoneer's OAuth2 client-credentials server: issues, checks and revokes expiring bearer tokens. */
@Injectable()
export class PayoneerOAuthService {
  private tokens = new Map<string, IssuedToken>();

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
  ) {}

  /** Handles `POST /api/v2/oauth2/token` and returns the S1 token response. */
  issue(request: TokenRequest): Record<string, unknown> {
    const grantType = stringField(request.body, 'grant_type');
    if (grantType === undefined)
      throw new PayoneerOAuthError(400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      throw new PayoneerOAuthError(
        400,
        'unsupported_grant_type',
        `grant_type "${grantType}" is not supported by the sandbox; use client_credentials`,
      );
    }
    const client = this.clientOf(request);
    const { clientId, clientSecret } = this.options.credentials.payoneer;
    if (!client)
      throw new PayoneerOAuthError(
        401,
        'invalid_client',
        'Client authentication failed: no client credentials were sent',
      );
    if (client.id !== clientId || client.secret !== clientSecret)
      throw new PayoneerOAuthError(401, 'invalid_client', 'Client authentication failed');
    const scope = stringField(request.body, 'scope') ?? 'read write';
    const token = `sbx.${this.random.stream('payoneer-tokens').alphanumeric(48)}`;
    const now = this.clock.nowMs();
    this.tokens.set(token, {
      expiresAtMs: now + this.options.payoneerTokenTtlSeconds * 1000,
      scope,
    });
    return {
      token_type: 'Bearer',
      access_token: token,
      expires_in: this.options.payoneerTokenTtlSeconds,
      consented_on: Math.floor(now / 1000),
      scope,
      refresh_token: null,
      refresh_token_expires_in: 0,
      id_token: null,
      error: null,
      error_description: null,
    };
  }

  /** Handles `POST /api/v2/oauth2/revoke`. */
  revoke(body: Record<string, unknown>): void {
    const token = stringField(body, 'token');
    if (token !== undefined) this.tokens.delete(token);
  }

  /** Throws Payoneer's 401 (sub_code 4016) unless the header carries a live bearer token. */
  authenticate(authorization: string | undefined): void {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const token = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (!token || token.expiresAtMs <= this.clock.nowMs()) {
      throw new PayoneerApiError(401, 'Access token is invalid (expired)', {
        code: 401,
        sub_code: 4016,
      });
    }
  }

  /** Invalidates every token (a test hook for expiry). */
  expireAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  private clientOf(request: TokenRequest): { id: string; secret: string } | undefined {
    const basic = /^Basic\s+(\S+)$/i.exec(request.authorization ?? '');
    if (basic?.[1] !== undefined) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      if (separator === -1) return undefined;
      return { id: decoded.slice(0, separator), secret: decoded.slice(separator + 1) };
    }
    const id = stringField(request.body, 'client_id');
    const secret = stringField(request.body, 'client_secret');
    return id !== undefined && secret !== undefined ? { id, secret } : undefined;
  }
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
