import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MappingFunctionError } from '@switchboard/flow-engine';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { parse } from 'yaml';
import { StatusTable } from './status-table';

const MAPPINGS = resolve(__dirname, '../../../../mappings');
const statuses = StatusTable.load(join(MAPPINGS, 'statuses.yaml'));
const registry = SchemaRegistry.load();

/** The canonical statuses a table maps onto: the registry schema's `status` enum, or Clarity's own. */
function canonicalStatuses(ref: string): string[] {
  const schema = registry.schema(ref) as { properties: { status: { enum: string[] } } };
  return schema.properties.status.enum;
}

// Every status the systems produce: the sandbox's models and USE-CASES.md / payoneer.md §3, §6, §8.
const SOURCE_STATUSES: Record<string, { statuses: string[]; onto: string[] }> = {
  'clarity.order': {
    statuses: ['Pending', 'On Hold', 'Confirmed', 'Backordered', 'Split', 'Partial Payment Received',
      'Full Payment Received', 'Processing', 'Shipped', 'Completed', 'Void', 'Reconciled'],
    onto: canonicalStatuses('canonical.order@1'),
  },
  'clarity.payment': { statuses: ['Pending', 'Processed'], onto: canonicalStatuses('canonical.payment@1') },
  'payoneer.payout': {
    statuses: ['Pending', 'Pending Payee', 'Transferred', 'Cancelled'],
    onto: canonicalStatuses('canonical.payout@1'),
  },
  'payoneer.payout-notification': {
    statuses: ['PaymentRequestAccepted', 'SentToBank', 'AccountCardLoaded', 'CancelPayout'],
    onto: canonicalStatuses('canonical.payout@1'),
  },
  'payoneer.transaction': {
    statuses: ['Pending', 'Completed', 'Canceled', 'Failed'],
    onto: canonicalStatuses('canonical.payment@1'),
  },
  'canonical.payout-to-clarity.commission': {
    statuses: canonicalStatuses('canonical.payout@1'),
    onto: ['Unpaid', 'Paid'],
  },
};

describe('mappings/statuses.yaml, the status standardisation table', () => {
  it('holds exactly the tables the systems need', () => {
    expect([...statuses.tables.keys()].sort()).toEqual(Object.keys(SOURCE_STATUSES).sort());
  });

  it.each(Object.entries(SOURCE_STATUSES))('%s maps every known status onto a canonical value', (name, { statuses: known, onto }) => {
    const table = statuses.tables.get(name);
    expect(known.filter((status) => !table?.has(status))).toEqual([]);
    const offEnum = [...(table ?? new Map<string, string>()).entries()].filter(([, canonical]) => !onto.includes(canonical));
    expect(offEnum).toEqual([]);
  });

  it('rejects an unknown status or table by name instead of defaulting', () => {
    expect(() => statuses.lookup('clarity.order', 'Teleported')).toThrow(MappingFunctionError);
    expect(() => statuses.lookup('clarity.order', 'Teleported')).toThrow(
      /no entry for id "Teleported" in id map "status.clarity.order" \(an unknown clarity.order status: add it to .*statuses.yaml; known: Pending, On Hold/,
    );
    expect(() => statuses.lookup('erp.invoice', 'Draft')).toThrow(/no status table "erp.invoice"/);
    expect(statuses.lookup('payoneer.payout', 'Pending Payee')).toBe('pending');
  });

  it('finds a status without throwing, for the synchronous fast path (nothing for an unknown one)', () => {
    expect(statuses.find('payoneer.payout', 'Pending Payee')).toBe('pending');
    expect(statuses.find('clarity.order', 'Teleported')).toBeUndefined();
    expect(statuses.find('erp.invoice', 'Draft')).toBeUndefined();
  });

  it('agrees with every status table the mapping fixtures use, so `sb test` tests the real table', () => {
    const disagreements: string[] = [];
    for (const folder of readdirSync(MAPPINGS, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const file of readdirSync(join(MAPPINGS, folder.name)).filter((name) => name.endsWith('.test.yaml'))) {
        const fixture = parse(readFileSync(join(MAPPINGS, folder.name, file), 'utf8')) as {
          functions?: { lookups?: Record<string, Record<string, string>> };
        };
        for (const [namespace, entries] of Object.entries(fixture.functions?.lookups ?? {})) {
          if (!namespace.startsWith('status.')) continue;
          for (const [status, canonical] of Object.entries(entries)) {
            const real = statuses.tables.get(namespace.slice('status.'.length))?.get(status);
            if (real !== canonical) disagreements.push(`${folder.name}/${file} ${namespace} ${status}: ${canonical} ≠ ${real}`);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
