import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { withAdvisoryLock } from '@switchboard/persistence';
import { DataSource } from 'typeorm';
import { RuntimeConfig } from '../config/runtime-config';
import { ApiKeyService } from './api-key.service';

const BOOTSTRAP_KEY_NAME = 'bootstrap-admin';

/**
 * First-start access: stores `SB_BOOTSTRAP_ADMIN_KEY` (hashed) when given, or in demo mode with no
 * key stored yet creates an admin key and prints it once to stdout, so the demo can be reached at all.
 */
@Injectable()
export class RuntimeBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(RuntimeBootstrap.name);

  constructor(
    private readonly config: RuntimeConfig,
    private readonly keys: ApiKeyService,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Instances booting together must not each mint a demo key: the lock holder decides.
    await withAdvisoryLock(this.dataSource, 'switchboard:access:bootstrap', async () => {
      const given = this.config.access.bootstrapAdminKey;
      if (given !== undefined) {
        // A revoked bootstrap key stays revoked: only a key never seen is stored.
        if (!(await this.keys.exists(given))) {
          const stored = await this.keys.store(given, BOOTSTRAP_KEY_NAME, 'admin', 'system:bootstrap');
          this.logger.log(`stored the bootstrap admin key from SB_BOOTSTRAP_ADMIN_KEY as ${stored.prefix}…`);
        }
        return;
      }
      if (this.config.mode !== 'demo' || (await this.keys.anyKeys())) return;
      const issued = await this.keys.create(BOOTSTRAP_KEY_NAME, 'admin', 'system:bootstrap');
      process.stdout.write(
        `\nBootstrap admin API key (shown once, store it now):\n  ${issued.key}\n` +
          `  use it as the x-api-key header; create narrower keys with POST /api/keys\n\n`,
      );
    });
  }
}
