import { describeConnector, httpFailureSample } from '@switchboard/connector-sdk';

import { type SandboxHandle, startSandbox } from '../../../apps/sandbox/src';
import erp from '../erp.connector';
import { ERP_TEST_SETTINGS } from './erp-test-settings';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7 });
});
afterAll(async () => {
  await sandbox.close();
});

const frappeError = (excType: string, message: string) => ({
  exc_type: excType,
  exception: `frappe.exceptions.${excType}: ${message}`,
  _server_messages: JSON.stringify([JSON.stringify({ message, indicator: 'red' })]),
});

describeConnector(erp, {
  target: () => ({
    baseUrl: sandbox.urls.erp,
    settings: ERP_TEST_SETTINGS,
    secrets: { ...sandbox.credentials.erp },
  }),
  errorSamples: [
    {
      name: 'an unbalanced journal entry (417 ValidationError)',
      failure: httpFailureSample(
        417,
        frappeError(
          'ValidationError',
          'Total Debit must be equal to Total Credit. The difference is 1.0',
        ),
      ),
      expect: 'business',
      code: 'UNBALANCED_ENTRY',
    },
    {
      name: 'a duplicate reference (417 UniqueValidationError)',
      failure: httpFailureSample(
        417,
        frappeError('UniqueValidationError', 'Switchboard Reference must be unique'),
      ),
      expect: 'business',
      code: 'DUPLICATE_REFERENCE',
    },
    {
      name: 'an unknown account (417 LinkValidationError)',
      failure: httpFailureSample(
        417,
        frappeError('LinkValidationError', 'Could not find Row #1: Account: Nope - SDM'),
      ),
      expect: 'config',
      code: 'UNKNOWN_LINK',
    },
    {
      name: "Frappe's plain-text 429",
      failure: httpFailureSample(429, 'Too Many Requests', { 'retry-after': '1' }),
      expect: 'rate_limited',
    },
  ],
});
