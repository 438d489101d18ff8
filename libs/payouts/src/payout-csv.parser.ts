import { PayoutInputError } from './payout.errors';
import { type PayoutLine } from './payout-line';

const COLUMNS = {
  business_reference: 'businessReference',
  party_reference: 'partyReference',
  amount: 'amount',
  currency: 'currency',
  description: 'description',
} as const satisfies Record<string, keyof PayoutLine>;
type CsvColumn = keyof typeof COLUMNS;

/**
 * Reads a payout CSV upload (RFC 4180: comma separated, `"` quoting, header row naming
 * business_reference, party_reference, amount, currency, description in any order).
 * Problems name the file, line and column.
 */
export function parsePayoutCsv(text: string, fileName: string): PayoutLine[] {
  const rows = splitCsv(text.replace(/^\uFEFF/, ''), fileName);
  const header = rows.shift();
  if (header === undefined) throw new PayoutInputError(`${fileName}: the file is empty`);
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const missing = (Object.keys(COLUMNS) as CsvColumn[]).filter((column) => !names.includes(column));
  if (missing.length > 0)
    throw new PayoutInputError(
      `${fileName}:1: header lacks column(s) ${missing.join(', ')} (found: ${names.join(', ')})`,
    );
  const problems: string[] = [];
  const lines: PayoutLine[] = [];
  for (const row of rows) {
    if (row.cells.length === 1 && row.cells[0]?.trim() === '') continue;
    if (row.cells.length !== names.length) {
      problems.push(
        `${fileName}:${row.line}: has ${row.cells.length} cells, the header has ${names.length}`,
      );
      continue;
    }
    const line: PayoutLine = {
      businessReference: '',
      partyReference: '',
      amount: '',
      currency: '',
      description: '',
    };
    names.forEach((name, index) => {
      if (name in COLUMNS) line[COLUMNS[name as CsvColumn]] = (row.cells[index] ?? '').trim();
    });
    lines.push(line);
  }
  if (problems.length > 0) throw new PayoutInputError(`${fileName}: unreadable rows`, problems);
  return lines;
}

function splitCsv(text: string, fileName: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += char;
  }
  if (quoted) throw new PayoutInputError(`${fileName}:${rowLine}: a quoted cell is never closed`);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}
