import { resolvePayoutsOptions } from './payouts.options';

describe('resolvePayoutsOptions', () => {
  it('fills defaults', () => {
    expect(resolvePayoutsOptions({ account: '100' })).toMatchObject({
      chunkSize: 50,
      supportedCurrencies: ['USD', 'EUR', 'GBP'],
      statusPollLimit: 200,
      statusPollConcurrency: 4,
    });
  });

  it('names every impossible option', () => {
    expect(() =>
      resolvePayoutsOptions({
        account: '',
        chunkSize: 501,
        statusPollConcurrency: 0,
        supportedCurrencies: ['usd'],
      }),
    ).toThrow(
      'invalid payouts options: account: must be a non-empty string; chunkSize: must be an integer from 1 to 500, got 501; statusPollConcurrency: must be an integer from 1 to 100, got 0; supportedCurrencies[0]: "usd" is not an ISO-4217 code',
    );
  });
});
