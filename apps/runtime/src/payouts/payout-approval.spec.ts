import { approvalRole } from './payout-approval';

describe('approvalRole', () => {
  it('asks for an admin when a currency total is above its limit', () => {
    expect(approvalRole({ EUR: '10000.01', USD: '5.00' }, { EUR: '10000.00' })).toBe('admin');
  });

  it('lets an operator approve at or below the limits and in currencies without one', () => {
    expect(approvalRole({ EUR: '10000.00', GBP: '999999.00' }, { EUR: '10000.00' })).toBe(
      'operator',
    );
    expect(approvalRole({ USD: '1.00' }, undefined)).toBe('operator');
  });
});
