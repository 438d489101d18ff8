import { SchemaRegistry } from '@switchboard/schema-registry';
import { generateReconciliationData } from './reconciliation-data.generator';

describe('generateReconciliationData', () => {
  it('gives the same data for the same seed and different data for another', () => {
    const first = generateReconciliationData({ seed: 7, orders: 300 });
    expect(generateReconciliationData({ seed: 7, orders: 300 })).toEqual(first);
    expect(generateReconciliationData({ seed: 8, orders: 300 }).events).not.toEqual(first.events);
  });

  it('produces valid canonical orders and payments covering every scenario, with an answer per Payoneer payment', () => {
    const data = generateReconciliationData({ seed: 42, orders: 2000 });
    const registry = SchemaRegistry.load();
    const validOrder = registry.validator('canonical.order@1');
    const validPayment = registry.validator('canonical.payment@1');
    for (const event of data.events) {
      const result = event.type === 'order' ? validOrder(event.order) : validPayment(event.payment);
      expect(result).toEqual({ valid: true });
    }
    expect(Object.keys(data.scenarioCounts).sort()).toEqual(
      [
        'double-payment',
        'duplicate-delivery',
        'exact-reference',
        'exact-transaction',
        'fx',
        'late',
        'mismatch',
        'multi-order',
        'net-of-fee',
        'orphan',
        'reference-in-text',
        'rounding',
        'split',
        'typo',
        'unpaid',
      ].sort(),
    );
    const payoneerKeys = new Set(
      data.events.flatMap((event) =>
        event.type === 'payment' && event.payment.id.source === 'payoneer'
          ? [`payoneer:${event.payment.id.sourceId}`]
          : [],
      ),
    );
    expect(new Set(Object.keys(data.expected))).toEqual(payoneerKeys);
    const orderCount = data.events.filter((event) => event.type === 'order').length;
    expect(orderCount).toBe(2000);
    expect(data.matchableOrderKeys.length).toBeGreaterThan(1900);
    const times = data.events.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
