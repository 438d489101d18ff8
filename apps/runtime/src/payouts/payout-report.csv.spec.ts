import { type PayoutItem } from '@switchboard/persistence';
import { payoutReportCsv } from './payout-report.csv';

describe('payoutReportCsv', () => {
  it('writes a header and one quoted-where-needed row per item, defusing formula cells', () => {
    const item = {
      businessReference: 'COMM-1',
      attempt: 2,
      clientReferenceId: 'COMM-1-A2',
      partyReference: '=HYPERLINK("x")',
      payeeId: null,
      amount: '12.50',
      currency: 'EUR',
      status: 'in_review',
      statusReason: 'payee VEND-9, "inactive"',
      payoneerStatus: null,
      payoneerPayoutId: null,
      submittedAt: null,
      updatedAt: new Date('2026-03-01T10:00:00Z'),
    } as unknown as PayoutItem;
    const [header, row] = payoutReportCsv([item]).split('\r\n');
    expect(header).toBe(
      'business_reference,attempt,client_reference_id,party_reference,payee_id,amount,currency,status,status_reason,payoneer_status,payoneer_payout_id,submitted_at,updated_at',
    );
    expect(row).toBe(
      'COMM-1,2,COMM-1-A2,"\'=HYPERLINK(""x"")",,12.50,EUR,in_review,"payee VEND-9, ""inactive""",,,,2026-03-01T10:00:00.000Z',
    );
  });
});
