import { obtainPostgres } from './postgres';
import { registerGlobalTeardown } from './global-setup';

/** Unit specs that touch the database (repositories, stores) get the same PostgreSQL as e2e suites. */
export default async function unitGlobalSetup(): Promise<void> {
  const postgres = await obtainPostgres();
  process.env['DATABASE_URL'] = postgres.url;
  registerGlobalTeardown('postgres', postgres.stop);
}
