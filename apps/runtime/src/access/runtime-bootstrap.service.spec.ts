import { ApiKeyRepository, createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { loadRuntimeConfig } from '../config/load-runtime-config';
import { ApiKeyService } from './api-key.service';
import { RuntimeBootstrap } from './runtime-bootstrap.service';

describe('RuntimeBootstrap', () => {
  let db: TestDatabase;
  let keys: ApiKeyService;
  let printed: string[];
  let write: jest.SpyInstance;

  beforeEach(async () => {
    db = await createTestDatabase();
    keys = new ApiKeyService(new ApiKeyRepository(db.dataSource));
    printed = [];
    // Capture what an operator would see on stdout; nothing else is replaced.
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    write.mockRestore();
    await db.drop();
  });

  function bootstrap(env: Record<string, string>): RuntimeBootstrap {
    return new RuntimeBootstrap(loadRuntimeConfig(undefined, env), keys, db.dataSource);
  }

  it('prints an admin key once on the first demo start, and the key works', async () => {
    await bootstrap({ SB_MODE: 'demo' }).onApplicationBootstrap();
    const key = /\b(sb_[A-Za-z0-9_-]{43})\b/.exec(printed.join(''))?.[1];
    expect(key).toBeDefined();
    expect(await keys.authenticate(key!)).toMatchObject({ name: 'bootstrap-admin', role: 'admin' });

    printed.length = 0;
    await bootstrap({ SB_MODE: 'demo' }).onApplicationBootstrap();
    expect(printed.join('')).not.toContain('sb_');
  });

  it('prints nothing in production mode without SB_BOOTSTRAP_ADMIN_KEY', async () => {
    await bootstrap({ SB_MODE: 'production', SB_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }).onApplicationBootstrap();
    expect(printed.join('')).toBe('');
    expect(await keys.anyKeys()).toBe(false);
  });

  it('stores SB_BOOTSTRAP_ADMIN_KEY hashed in any mode, and a revoked one stays revoked', async () => {
    const given = 'sb_operator-chosen-bootstrap-key-0001';
    const env = { SB_MODE: 'production', SB_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), SB_BOOTSTRAP_ADMIN_KEY: given };
    await bootstrap(env).onApplicationBootstrap();
    const principal = await keys.authenticate(given);
    expect(principal).toMatchObject({ role: 'admin', prefix: 'sb_operator' });
    expect(printed.join('')).not.toContain(given);
    const rows: Array<{ key_hash: string }> = await db.dataSource.query('SELECT key_hash FROM api_keys');
    expect(rows.map((row) => row.key_hash)).not.toContain(given);

    await keys.revoke(principal!.id);
    await bootstrap(env).onApplicationBootstrap();
    expect(await keys.authenticate(given)).toBeUndefined();
  });

  it('refuses a malformed SB_BOOTSTRAP_ADMIN_KEY at boot, naming the variable', () => {
    expect(() => loadRuntimeConfig(undefined, { SB_BOOTSTRAP_ADMIN_KEY: 'hunter2' })).toThrow(/SB_BOOTSTRAP_ADMIN_KEY.*"sb_"/);
  });
});
