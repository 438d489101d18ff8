import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { RuntimeConfig } from '../config/runtime-config';

/**
 * The key that encrypts secrets at rest. Production requires SB_MASTER_KEY (checked at config
 * load); the demo generates one beside its data folder, with a loud warning, so it runs at once.
 */
export function resolveMasterKey(config: RuntimeConfig): Buffer {
  if (config.masterKey !== undefined) return Buffer.from(config.masterKey, 'base64');
  const file = join(dirname(resolve(config.database.embedded.dataDir)), 'dev-master-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  new Logger('Secrets').warn(
    `DEMO MODE: secrets are encrypted with a generated development key (${file}). Set SB_MASTER_KEY for any real use.`,
  );
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
