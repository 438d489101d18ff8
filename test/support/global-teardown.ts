import { takeGlobalTeardowns } from './global-setup';

/** Stops what global-setup.ts started; every teardown runs even if an earlier one fails. */
export default async function globalTeardown(): Promise<void> {
  const failures: string[] = [];
  for (const { name, teardown } of takeGlobalTeardowns()) {
    try {
      await teardown();
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`e2e teardown failed:\n - ${failures.join('\n - ')}`);
}
