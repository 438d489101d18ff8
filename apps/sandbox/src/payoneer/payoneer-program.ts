import { PayoneerApiError } from './payoneer-api.error';

/** Refuses any program id but the configured one (an unknown program is a 404 in the sandbox). */
export function assertProgram(programId: string, expected: string): void {
  if (programId !== expected) {
    throw new PayoneerApiError(404, `Program ${programId} was not found`, {
      code: 404,
      sub_code: 1404,
    });
  }
}

/** Refuses any account id but the configured one. */
export function assertAccount(accountId: string, expected: string): void {
  if (accountId !== expected) {
    throw new PayoneerApiError(404, `Account ${accountId} was not found`, {
      code: 404,
      sub_code: 1404,
    });
  }
}

/** `2021-03-17T14:09:39+00:00`: the offset form Payoneer's payout dates use. */
export function payoneerDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
