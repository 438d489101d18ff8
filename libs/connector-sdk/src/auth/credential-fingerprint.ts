import { createHash } from 'node:crypto';

import { type AppliedCredential } from './auth-strategy';

/** Identifies a credential value without carrying it. */
export function credentialFingerprint(value: string): AppliedCredential {
  return { fingerprint: createHash('sha256').update(value).digest('hex').slice(0, 16) };
}
