import { defineAction } from '@switchboard/connector-sdk';

import {
  JOURNAL_ENTRY_SUMMARY_SCHEMA,
  type JournalEntrySummary,
  findJournalEntryByReference,
} from '../erp-journal-entry';
import { erpSettings } from '../erp-settings';

export interface FindJournalEntryOutput {
  found: boolean;
  entry?: JournalEntrySummary;
}

/** Looks up the Journal Entry posted under a reference (e.g. before deciding to post). */
export const findJournalEntry = defineAction<{ reference: string }, FindJournalEntryOutput>({
  name: 'findJournalEntry',
  title: 'Find a journal entry by reference',
  input: {
    type: 'object',
    required: ['reference'],
    additionalProperties: false,
    properties: { reference: { type: 'string', minLength: 1, maxLength: 140 } },
  },
  output: {
    type: 'object',
    required: ['found'],
    properties: { found: { type: 'boolean' }, entry: JOURNAL_ENTRY_SUMMARY_SCHEMA },
  },
  examples: [
    {
      name: 'an unknown reference',
      input: { reference: 'example:none' },
      output: { found: false },
    },
  ],
  async run(input, { http, settings }) {
    const entry = await findJournalEntryByReference(http, erpSettings(settings), input.reference);
    return entry === undefined ? { found: false } : { found: true, entry };
  },
});
