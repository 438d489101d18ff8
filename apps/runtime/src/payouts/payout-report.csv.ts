import { type PayoutItem } from '@switchboard/persistence';

const COLUMNS = [
  'business_reference',
  'attempt',
  'client_reference_id',
  'party_reference',
  'payee_id',
  'amount',
  'currency',
  'status',
  'status_reason',
  'payoneer_status',
  'payoneer_payout_id',
  'submitted_at',
  'updated_at',
] as const;

/** A batch's items as CSV (RFC 4180 quoting; cells that start like a formula are defused for spreadsheets). */
export function payoutReportCsv(items: readonly PayoutItem[]): string {
  const rows = items.map((item) =>
    [
      item.businessReference,
      String(item.attempt),
      item.clientReferenceId,
      item.partyReference,
      item.payeeId ?? '',
      item.amount,
      item.currency,
      item.status,
      item.statusReason ?? '',
      item.payoneerStatus ?? '',
      item.payoneerPayoutId ?? '',
      item.submittedAt === null ? '' : new Date(item.submittedAt).toISOString(),
      new Date(item.updatedAt).toISOString(),
    ].map(cell),
  );
  return [COLUMNS.join(','), ...rows.map((row) => row.join(','))].join('\r\n') + '\r\n';
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
