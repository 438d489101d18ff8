import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiKeyRepository, type ApiKeyRecord, type ApiKeyRole } from '@switchboard/persistence';
import type { ApiPrincipal } from './api-principal';

/** A key as its creator sees it, once: the only time the full key is available. */
export interface IssuedApiKey {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  key: string;
  createdAt: Date;
}

const KEY_PREFIX = 'sb_';
/** `sb_` plus 8 characters: enough to tell keys apart in a list, far too few to guess the rest. */
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 8;

/** Issues, authenticates and revokes API keys; keys are kept only as SHA-256 hashes. */
@Injectable()
export class ApiKeyService {
  constructor(private readonly keys: ApiKeyRepository) {}

  /** Creates a key: 32 random bytes, base64url, prefixed `sb_`. The returned `key` is never stored. */
  async create(name: string, role: ApiKeyRole, createdBy: string): Promise<IssuedApiKey> {
    return this.store(`${KEY_PREFIX}${randomBytes(32).toString('base64url')}`, name, role, createdBy);
  }

  /** Stores a key chosen elsewhere (the bootstrap admin key from the environment). */
  async store(key: string, name: string, role: ApiKeyRole, createdBy: string): Promise<IssuedApiKey> {
    const record = await this.keys.insert({ name, role, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), keyHash: hashApiKey(key), createdBy });
    return { id: record.id, name: record.name, role: record.role, prefix: record.prefix, key, createdAt: record.createdAt };
  }

  /** The principal a presented key stands for; undefined for an unknown, malformed or revoked key. */
  async authenticate(key: string): Promise<ApiPrincipal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
    const record = await this.keys.findByHash(hashApiKey(key));
    if (record === undefined || record.revokedAt !== null) return undefined;
    await this.keys.touch(record.id);
    return { id: record.id, name: record.name, role: record.role, prefix: record.prefix };
  }

  /** True when a key with this value was ever stored, revoked or not. */
  async exists(key: string): Promise<boolean> {
    return (await this.keys.findByHash(hashApiKey(key))) !== undefined;
  }

  async list(filter: { role?: ApiKeyRole; includeRevoked?: boolean }, page: { limit: number; offset: number }): Promise<{ items: ApiKeyRecord[]; total: number }> {
    return this.keys.list(filter, page);
  }

  /** Revokes a key at once: its next request answers 401. False when there is no live key with that id. */
  async revoke(id: string): Promise<boolean> {
    return this.keys.revoke(id);
  }

  async anyKeys(): Promise<boolean> {
    return this.keys.any();
  }
}

/** SHA-256 of the key, hex: a 256-bit random key needs no slow hash, and a hash allows an indexed lookup. */
function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
