import { Inject, Injectable } from '@nestjs/common';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { ClarityApiError } from './clarity-api.error';

interface ClaritySession {
  id: string;
  permanentId: string;
  userName: string;
  expiresAtMs: number;
}

/** A successful ServiceStack login. */
export interface ClarityLogin {
  session: ClaritySession;
  rememberMe: boolean;
}

/** The parts of a request Clarity authenticates. */
export interface ClarityCredentialsCarrier {
  authorization?: string;
  cookies: Record<string, string>;
  sessionHeader?: string;
  apiKeyParam?: string;
}

/**
 * ServiceStack-style authentication: credentials login issuing `ss-id`/`ss-pid` sessions that
 * expire after idle time, plus API-key (Bearer, Basic or `?apikey=`) and Basic user:password.
 */
@Injectable()
export class ClarityAuthService {
  private sessions = new Map<string, ClaritySession>();

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
  ) {}

  /** Checks user name and password and opens a session. */
  login(userName: unknown, password: unknown, rememberMe: boolean): ClarityLogin {
    const { username, password: expected } = this.options.credentials.clarity;
    if (
      typeof userName !== 'string' ||
      typeof password !== 'string' ||
      userName === '' ||
      password === ''
    ) {
      throw new ClarityApiError(400, 'ValidationException', 'UserName and Password are required', [
        {
          ErrorCode: 'NotEmpty',
          FieldName: userName ? 'Password' : 'UserName',
          Message: "'UserName' and 'Password' must not be empty.",
        },
      ]);
    }
    if (userName.toLowerCase() !== username.toLowerCase() || password !== expected) {
      throw new ClarityApiError(401, 'Unauthorized', 'Invalid UserName or Password');
    }
    const stream = this.random.stream('clarity-sessions');
    const session: ClaritySession = {
      id: stream.alphanumeric(20),
      permanentId: stream.alphanumeric(20),
      userName: username,
      expiresAtMs: this.clock.nowMs() + this.options.claritySessionTtlSeconds * 1000,
    };
    this.sessions.set(session.id, session);
    this.sessions.set(session.permanentId, session);
    return { session, rememberMe };
  }

  /** Ends the session named by the request's cookies, if any. */
  logout(carrier: ClarityCredentialsCarrier): void {
    const session = this.sessionOf(carrier);
    if (!session) return;
    this.sessions.delete(session.id);
    this.sessions.delete(session.permanentId);
  }

  /** Throws ServiceStack's 401 unless the request carries a live session, API key or user credentials. */
  authenticate(carrier: ClarityCredentialsCarrier): void {
    const { username, password, apiKey } = this.options.credentials.clarity;
    const authorization = carrier.authorization ?? '';
    const [scheme = '', value = ''] = authorization.split(' ', 2);
    if (scheme.toLowerCase() === 'bearer') {
      if (value === apiKey) return;
      throw new ClarityApiError(401, 'Unauthorized', 'Invalid API Key');
    }
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const user = separator === -1 ? decoded : decoded.slice(0, separator);
      const secret = separator === -1 ? '' : decoded.slice(separator + 1);
      if (user === apiKey || (user.toLowerCase() === username.toLowerCase() && secret === password))
        return;
      throw new ClarityApiError(401, 'Unauthorized', 'Invalid BasicAuth credentials');
    }
    if (carrier.apiKeyParam !== undefined) {
      if (carrier.apiKeyParam === apiKey) return;
      throw new ClarityApiError(401, 'Unauthorized', 'Invalid API Key');
    }
    const session = this.sessionOf(carrier);
    if (!session) throw new ClarityApiError(401, 'Unauthorized', 'Not Authenticated');
    // ServiceStack sessions slide: each authenticated request renews the expiry.
    session.expiresAtMs = this.clock.nowMs() + this.options.claritySessionTtlSeconds * 1000;
  }

  /** Ends every session (a test hook for expiry). */
  expireAll(): number {
    const count = new Set(this.sessions.values()).size;
    this.sessions.clear();
    return count;
  }

  private sessionOf(carrier: ClarityCredentialsCarrier): ClaritySession | undefined {
    const candidates = [carrier.sessionHeader, carrier.cookies['ss-id'], carrier.cookies['ss-pid']];
    for (const id of candidates) {
      if (!id) continue;
      const session = this.sessions.get(id);
      if (!session) continue;
      if (session.expiresAtMs <= this.clock.nowMs()) {
        this.sessions.delete(session.id);
        this.sessions.delete(session.permanentId);
        continue;
      }
      return session;
    }
    return undefined;
  }
}
