import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MappingCompileError } from './mapping-errors';
import { MappingFixtureError } from './mapping-fixture-error';
import { runMappingFixtures } from './mapping-fixtures';

const PAYOUT_MAPPING = `(
  $status := Status = "paid" ? "paid" : $error("unknown status " & Status);
  {
    "payee": $lookup("payoneer-payee", AccountID),
    "amount": $fx(Amount, Currency, "USD", PaidAt),
    "status": $status,
    "note": $note
  }
)
`;

let root: string;

function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

async function fixtureError(testFile: string): Promise<MappingFixtureError> {
  const error: unknown = await runMappingFixtures(testFile).then(
    () => new Error('expected the test file to be refused'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MappingFixtureError);
  return error as MappingFixtureError;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sb-fixtures-'));
  write({ 'mappings/clarity-to-payoneer/payout.jsonata': PAYOUT_MAPPING });
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('runMappingFixtures', () => {
  it("runs each case with the file's function tables and bindings, and reports every outcome", async () => {
    const testFile = join(root, 'mappings/clarity-to-payoneer/payout.test.yaml');
    write({
      'mappings/clarity-to-payoneer/payout.test.yaml': `
functions:
  lookups: { payoneer-payee: { 1001: PAYEE-77 } }
  rates: [ { from: EUR, to: USD, rate: 1.10, validFrom: "2026-01-01" } ]
cases:
  - name: a paid EUR payout
    input: { AccountID: 1001, Amount: "100.00", Currency: EUR, Status: paid, PaidAt: "2026-02-01" }
    bindings: { note: from fixtures }
    expected: { payee: PAYEE-77, amount: "110", status: paid, note: from fixtures }
  - name: an unknown status fails
    input: { AccountID: 1001, Amount: "1", Currency: EUR, Status: lost, PaidAt: "2026-02-01" }
    expectError: unknown status lost
  - name: wrong expectation
    input: { AccountID: 1001, Amount: "100.00", Currency: EUR, Status: paid, PaidAt: "2026-02-01" }
    expected: { payee: PAYEE-77, amount: "111", status: paid }
  - name: an error that was not expected
    input: { AccountID: 9, Amount: "1", Currency: EUR, Status: paid, PaidAt: "2026-02-01" }
    expected: { payee: nobody }
  - name: an error that did not happen
    input: { AccountID: 1001, Amount: "1", Currency: EUR, Status: paid, PaidAt: "2026-02-01" }
    expectError: unknown status
  - name: another error than expected
    input: { AccountID: 1001, Amount: "1", Currency: EUR, Status: lost, PaidAt: "2026-02-01" }
    expectError: insufficient funds
`,
    });

    const results = await runMappingFixtures(testFile);

    expect(results.map(({ caseName, passed }) => [caseName, passed])).toEqual([
      ['a paid EUR payout', true],
      ['an unknown status fails', true],
      ['wrong expectation', false],
      ['an error that was not expected', false],
      ['an error that did not happen', false],
      ['another error than expected', false],
    ]);
    expect(results.every((result) => result.file === testFile)).toBe(true);
    const [, , wrong, unexpected, missing, other] = results;
    expect(wrong?.message).toContain('- Expected');
    expect(wrong?.message).toContain('+ Received');
    expect(wrong?.message).toMatch(/-\s+"amount": "111",/);
    expect(wrong?.message).toMatch(/\+\s+"amount": "110",/);
    expect(wrong?.message).not.toContain('\u001b[');
    expect(unexpected?.message).toContain('unexpected error:');
    expect(unexpected?.message).toContain('no entry for id "9" in id map "payoneer-payee"');
    expect(missing?.message).toContain(
      'expected an error containing:\n  unknown status\nbut the mapping returned:',
    );
    expect(missing?.message).toContain('"payee": "PAYEE-77"');
    expect(other?.message).toContain('but the error was:');
    expect(other?.message).toContain('unknown status lost');
  });

  it('uses the mapping named in the file, and fails $lookup loudly when the file gives no tables', async () => {
    write({
      'mappings/clarity-to-payoneer/cases.test.yaml': `
mapping: payout.jsonata
cases:
  - name: no id map in this file
    input: { AccountID: 1001, Amount: "1", Currency: EUR, Status: paid }
    expectError: $lookup is not configured
`,
    });
    const results = await runMappingFixtures(
      join(root, 'mappings/clarity-to-payoneer/cases.test.yaml'),
    );
    expect(results).toEqual([
      expect.objectContaining({ caseName: 'no id map in this file', passed: true }),
    ]);
  });

  it('applies the limits it is given', async () => {
    write({
      'mappings/loops/forever.jsonata': '($f := function($n){ $f($n + 1) }; $f(0))',
      'mappings/loops/forever.test.yaml':
        'cases:\n  - name: runs away\n    input: {}\n    expectError: timed out after 100 ms\n',
    });
    const [result] = await runMappingFixtures(join(root, 'mappings/loops/forever.test.yaml'), {
      limits: { timeoutMs: 100 },
    });
    expect(result?.passed).toBe(true);
  });

  it('throws the compile error when the mapping does not compile', async () => {
    write({
      'mappings/broken/order.jsonata': '{ "a": [1, 2 }',
      'mappings/broken/order.test.yaml': 'cases:\n  - name: x\n    input: {}\n    expected: {}\n',
    });
    await expect(
      runMappingFixtures(join(root, 'mappings/broken/order.test.yaml')),
    ).rejects.toBeInstanceOf(MappingCompileError);
  });

  describe('a malformed test file', () => {
    const file = (): string => join(root, 'mappings/clarity-to-payoneer/payout.test.yaml');
    const refuse = async (yaml: string): Promise<MappingFixtureError> => {
      write({ 'mappings/clarity-to-payoneer/payout.test.yaml': yaml });
      return fixtureError(file());
    };

    it('names the file, YAML path and line of an unknown key, with the likely key', async () => {
      const error = await refuse('cases:\n  - name: a\n    input: {}\n    expcted: {}\n');
      expect(error.message).toBe(
        `${file()}:4:5 cases[0].expcted: unknown key: did you mean "expected"? expected one of name, input, bindings, expected, expectError`,
      );
      expect([error.path, error.line, error.column]).toEqual(['cases[0].expcted', 4, 5]);
    });

    it('refuses a case with both or neither expectation', async () => {
      expect(
        (await refuse('cases:\n  - name: a\n    input: {}\n    expected: {}\n    expectError: x\n'))
          .message,
      ).toContain(':2:5 cases[0]: has both "expected" and "expectError": keep one');
      expect((await refuse('cases:\n  - name: a\n    input: {}\n')).message).toContain(
        'cases[0]: needs "expected" (the output) or "expectError"',
      );
    });

    it('refuses missing or empty cases, a missing input, and duplicate case names', async () => {
      expect((await refuse('functions: {}\n')).message).toContain('"cases" is missing');
      expect((await refuse('cases: []\n')).path).toBe('cases');
      expect((await refuse('cases:\n  - name: a\n    expected: 1\n')).message).toContain(
        'cases[0]: "input" is missing',
      );
      const duplicate = await refuse(
        'cases:\n  - name: a\n    input: 1\n    expected: 1\n  - name: a\n    input: 2\n    expected: 2\n',
      );
      expect([duplicate.path, duplicate.line]).toEqual(['cases[1].name', 5]);
    });

    it('points at the rate row that cannot be used', async () => {
      const error = await refuse(`functions:
  rates:
    - { from: EUR, to: USD, rate: "1.1" }
    - { from: EUR, to: USD, rate: "1,1" }
cases:
  - name: a
    input: {}
    expected: {}
`);
      expect([error.path, error.line]).toEqual(['functions.rates[1].rate', 4]);
      expect(error.message).toContain('"1,1" is not a positive decimal string');
    });

    it('asks for id-map values to be strings', async () => {
      const error = await refuse(
        'functions:\n  lookups:\n    payoneer-payee:\n      1001: 77\ncases:\n  - { name: a, input: {}, expected: {} }\n',
      );
      expect([error.path, error.line]).toEqual(['functions.lookups.payoneer-payee.1001', 4]);
      expect(error.message).toContain('must be a string, got number 77 (quote it)');
    });

    it('reports broken YAML at its line', async () => {
      const error = await refuse('cases:\n  - name: a\n    input: { a: 1\n    expected: {}\n');
      expect(error.line).toBeGreaterThanOrEqual(3);
      expect(error.message).toContain('invalid YAML');
    });

    it('says when the mapping it names, or the one beside it, does not exist', async () => {
      const named = await refuse(
        'mapping: payot.jsonata\ncases:\n  - { name: a, input: {}, expected: {} }\n',
      );
      expect([named.path, named.line]).toEqual(['mapping', 1]);
      expect(named.message).toContain('no such mapping file');

      write({
        'mappings/clarity-to-payoneer/refund.test.yaml':
          'cases:\n  - { name: a, input: {}, expected: {} }\n',
      });
      const beside = await fixtureError(
        join(root, 'mappings/clarity-to-payoneer/refund.test.yaml'),
      );
      expect(beside.message).toContain('no refund.jsonata beside this test file');
    });
  });
});
