/**
 * A named id map as mappings see it. `name` is the forward lookup (source id → target id);
 * `reverseName`, when set, is the lookup the other way. `firstSight: 'same-id'` creates a
 * missing forward entry mapping the id to itself (Payoneer payee ids are the Clarity account
 * keys until an operator says otherwise); without it a missing entry is an error.
 */
export interface IdMapNamespace {
  name: string;
  reverseName?: string;
  description: string;
  firstSight?: 'same-id';
}

/** Clarity customer/vendor/affiliate account key ↔ Payoneer payee id, created on first sight. */
export const PAYONEER_PAYEE_ID_MAP: IdMapNamespace = Object.freeze({
  name: 'payoneer-payee',
  reverseName: 'clarity-account',
  description: 'Clarity account key (customer, vendor, affiliate) → Payoneer payee id',
  firstSight: 'same-id',
});
