import { PayoutInputError } from './payout.errors';
import { parsePayoutCsv } from './payout-csv.parser';
import { checkPayoutLines } from './payout-line';

describe('parsePayoutCsv', () => {
  it('reads columns in any order, quoted cells with commas and quotes, and CRLF line ends', () => {
    const csv =
      'currency,amount,business_reference,party_reference,description\r\n' +
      'EUR,120.5,COMM-1,AFF-0001,"March, ""gold"" tier"\r\n' +
      'USD,9.99,COMM-2,VEND-0002,Balance\r\n\r\n';
    expect(parsePayoutCsv(csv, 'march.csv')).toEqual([
      {
        businessReference: 'COMM-1',
        partyReference: 'AFF-0001',
        amount: '120.5',
        currency: 'EUR',
        description: 'March, "gold" tier',
      },
      {
        businessReference: 'COMM-2',
        partyReference: 'VEND-0002',
        amount: '9.99',
        currency: 'USD',
        description: 'Balance',
      },
    ]);
  });

  it('names the file and the missing header columns', () => {
    expect(() => parsePayoutCsv('business_reference,amount\nX,1', 'march.csv')).toThrow(
      'march.csv:1: header lacks column(s) party_reference, currency, description',
    );
  });

  it('names the line of a row with the wrong number of cells', () => {
    const csv =
      'business_reference,party_reference,amount,currency,description\nA,B,1,USD,ok\nC,D,2,USD\n';
    expect(() => parsePayoutCsv(csv, 'march.csv')).toThrow(
      'march.csv:3: has 4 cells, the header has 5',
    );
  });
});

describe('checkPayoutLines', () => {
  it('normalises amounts and currencies', () => {
    expect(
      checkPayoutLines(
        [
          {
            businessReference: 'R-1',
            partyReference: 'P',
            amount: '7.5',
            currency: 'eur',
            description: 'd',
          },
        ],
        'lines',
      ),
    ).toEqual([
      {
        businessReference: 'R-1',
        partyReference: 'P',
        amount: '7.50',
        currency: 'EUR',
        description: 'd',
      },
    ]);
  });

  it('lists every malformed field by line index, and repeated business references', () => {
    let error: unknown;
    try {
      checkPayoutLines(
        [
          {
            businessReference: 'R-1',
            partyReference: 'P',
            amount: '12,5',
            currency: 'EURO',
            description: 'd',
          },
          {
            businessReference: 'R-1',
            partyReference: '',
            amount: '1.001',
            currency: 'USD',
            description: 'd',
          },
        ],
        'lines',
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayoutInputError);
    expect((error as PayoutInputError).problems).toEqual([
      'lines[0].amount: "12,5" is not a decimal with at most two places',
      'lines[0].currency: "EURO" is not an ISO-4217 code',
      'lines[1].businessReference: "R-1" repeats lines[0]',
      'lines[1].amount: "1.001" is not a decimal with at most two places',
      'lines[1].partyReference: is required',
    ]);
  });
});
