/**
 * mappings/clarity-to-canonical/order.jsonata written by hand in JavaScript: the yardstick the
 * JSONata benchmark compares against. The benchmark checks both give the same output and says
 * so when the mapping has moved on.
 */
type Money = { amount: string; currency: string };

interface ClarityOrderInput {
  ID: number;
  CustomKey?: string;
  StatusKey: string;
  AccountID?: number;
  AffiliateAccountID?: number | null;
  CurrencyKey: string;
  Totals: Partial<
    Record<
      'SubTotal' | 'Shipping' | 'Handling' | 'Fees' | 'Discounts' | 'Tax' | 'Total',
      number | string
    >
  >;
  BalanceDue?: number | string;
  SalesItems?: Array<{
    Sku: string;
    Name: string;
    Quantity: number;
    UnitSoldPrice: number | string;
  }>;
  CreatedDate: string;
  UpdatedDate?: string;
}

/** The canonical.order@1 of a Clarity sales order, as the reference mapping builds it; `statuses` is statuses.yaml's clarity.order. */
export function clarityOrderToCanonical(
  input: unknown,
  statuses: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const wrapper = input as {
    Data?: { SalesOrder?: ClarityOrderInput };
    SalesOrder?: ClarityOrderInput;
  };
  const order = wrapper.Data?.SalesOrder ?? wrapper.SalesOrder ?? (input as ClarityOrderInput);
  const currency = order.CurrencyKey;
  // "0.00##": two to four decimals; strings pass through as the wire sent them.
  const money = (value: number | string | undefined): Money | undefined =>
    value === undefined
      ? undefined
      : {
          amount:
            typeof value === 'string'
              ? value
              : Math.abs(value)
                  .toFixed(4)
                  .replace(/0{0,2}$/, ''),
          currency,
        };
  const status = statuses.get(order.StatusKey);
  if (status === undefined) throw new Error(`unknown Clarity order status "${order.StatusKey}"`);
  const totals = order.Totals;
  const items = order.SalesItems ?? [];
  return withoutUndefined({
    id: { source: 'clarity', sourceId: String(order.ID) },
    orderNumber: order.CustomKey,
    status,
    sourceStatus: order.StatusKey,
    customer:
      order.AccountID === undefined
        ? undefined
        : { id: { source: 'clarity', sourceId: String(order.AccountID) } },
    currency,
    totals: withoutUndefined({
      subTotal: money(totals.SubTotal),
      shipping: money(totals.Shipping),
      handling: money(totals.Handling),
      fees: money(totals.Fees),
      discounts: money(totals.Discounts),
      tax: money(totals.Tax),
      total: money(totals.Total),
    }),
    balanceDue: money(order.BalanceDue),
    lines:
      items.length > 0
        ? items.map((item) =>
            withoutUndefined({
              sku: item.Sku,
              name: item.Name,
              quantity: item.Quantity,
              unitPrice: money(item.UnitSoldPrice),
            }),
          )
        : undefined,
    createdAt: order.CreatedDate,
    updatedAt: order.UpdatedDate,
    attributes:
      order.AffiliateAccountID !== undefined && order.AffiliateAccountID !== null
        ? { affiliateAccountId: String(order.AffiliateAccountID) }
        : undefined,
  });
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}
