import {
  DEFAULT_RECONCILIATION_CONFIG,
  resolveReconciliationConfig,
} from './reconciliation-config';
import { ReconciliationInputError } from './reconciliation.errors';

describe('resolveReconciliationConfig', () => {
  it('fills defaults and keeps overrides, accounts merged', () => {
    const config = resolveReconciliationConfig({
      autoPostThreshold: 0.9,
      accounts: { cash: 'Payoneer - ACME' } as never,
    });
    expect(config.autoPostThreshold).toBe(0.9);
    expect(config.accounts).toEqual({
      ...DEFAULT_RECONCILIATION_CONFIG.accounts,
      cash: 'Payoneer - ACME',
    });
  });

  it('names the field that makes no sense', () => {
    expect(() => resolveReconciliationConfig({ autoPostThreshold: 1.5 })).toThrow(
      new ReconciliationInputError(
        'reconciliation config autoPostThreshold must be a number from 0 to 1, got 1.5',
      ),
    );
    expect(() => resolveReconciliationConfig({ reviewThreshold: 0.95 })).toThrow(
      /reviewThreshold \(0.95\) must not exceed autoPostThreshold/,
    );
    expect(() => resolveReconciliationConfig({ roundingTolerance: '-1' })).toThrow(
      /roundingTolerance must be a non-negative decimal string/,
    );
    expect(() => resolveReconciliationConfig({ fxTolerance: '5' })).toThrow(
      /fxTolerance is a fraction/,
    );
    expect(() => resolveReconciliationConfig({ dateWindowDays: -1 })).toThrow(
      /dateWindowDays must be a non-negative number/,
    );
  });
});
