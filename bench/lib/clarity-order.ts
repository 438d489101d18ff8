const STATUSES = [
  'Confirmed',
  'Pending',
  'On Hold',
  'Full Payment Received',
  'Shipped',
  'Completed',
] as const;
const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;

/**
 * A realistic Clarity eCommerce sales order (the shape of apps/sandbox's Clarity simulator, money
 * as numbers as the webhook sends it) with three lines; `orderId` becomes the canonical sourceId,
 * which the sink uses to find the event's send time.
 */
export function clarityOrder(orderId: number): Record<string, unknown> {
  const lines = [1, 2, 3].map((line) => ({
    ID: orderId * 10 + line,
    ProductID: 500 + line,
    ProductKey: `PRD-${500 + line}`,
    Sku: `SKU-${500 + line}-BLK`,
    Name: `Ergonomic office chair, model ${line}`,
    Quantity: line,
    UnitSoldPrice: 49.5 * line,
  }));
  const subTotal = lines.reduce((sum, line) => sum + line.Quantity * line.UnitSoldPrice, 0);
  const tax = Math.round(subTotal * 19) / 100;
  const total = subTotal + 7.5 + tax - 5;
  return {
    ID: orderId,
    CustomKey: `SO-2026-${orderId}`,
    Name: `Web order ${orderId}`,
    Description: 'Placed through the storefront checkout',
    StatusKey: STATUSES[orderId % STATUSES.length],
    AccountID: 7000 + (orderId % 97),
    AccountKey: `ACC-${7000 + (orderId % 97)}`,
    CurrencyKey: CURRENCIES[orderId % CURRENCIES.length],
    Totals: {
      SubTotal: subTotal,
      Shipping: 7.5,
      Handling: 0,
      Fees: 0,
      Discounts: -5,
      Tax: tax,
      Total: total,
    },
    BalanceDue: total,
    SalesItems: lines,
    CreatedDate: '2026-11-24T18:30:00Z',
    UpdatedDate: '2026-11-24T18:31:05Z',
  };
}
