import { type AuthStrategy } from './auth-strategy';
import { staticCredentialStrategy } from './static-credential.strategy';

export interface BasicAuthOptions {
  /** Default `username`. */
  usernameSecret?: string;
  /** Default `password`. */
  passwordSecret?: string;
}

/** HTTP Basic authentication from two secrets. */
export function basicAuth(options: BasicAuthOptions = {}): AuthStrategy {
  const usernameSecret = options.usernameSecret ?? 'username';
  const passwordSecret = options.passwordSecret ?? 'password';
  return staticCredentialStrategy('basic', [usernameSecret, passwordSecret], (secrets, request) => {
    const encoded = Buffer.from(
      `${secrets[usernameSecret] ?? ''}:${secrets[passwordSecret] ?? ''}`,
    ).toString('base64');
    request.headers['authorization'] = `Basic ${encoded}`;
    return encoded;
  });
}
