import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');
const SB = join(REPO, 'bin/sb.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/sb.js` as a user would, in the given folder. */
function sb(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [SB, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const ORDER_MAPPING = '{\n  "orderId": ID,\n  "status": $lowercase(StatusKey)\n}\n';

const ORDER_FLOW = [
  'id: clarity-order-created',
  'version: 1',
  'trigger:',
  '  webhook: { connector: clarity, event: order.created }',
  'transform:',
  '  mapping: clarity-to-canonical/order.jsonata',
  '  output: canonical.order@1',
  'target:',
  '  topic: canonical.order.v1',
  'key: orderId',
  '',
].join('\n');

let workspace: string;

function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
}

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  write({ 'mappings/clarity-to-canonical/order.jsonata': ORDER_MAPPING });
});

afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe('sb validate', () => {
  it('accepts the example flows shipped in config/flows', async () => {
    const run = await sb(['validate'], REPO);
    expect(run.stdout).toMatch(/^✓ \d+ flows? valid in config\/flows\n$/);
    expect(run.code).toBe(0);
  });

  it('prints each problem as file:line path: message and exits 1', async () => {
    write({
      'config/flows/order.yaml': ORDER_FLOW,
      'config/flows/payment.yaml': ORDER_FLOW.replace(
        'id: clarity-order-created',
        'id: clarity-payment',
      )
        .replace('output: canonical.order@1', 'output: canonical.ordr@1')
        .replace('key: orderId', 'kye: orderId'),
    });
    const run = await sb(['validate'], workspace);
    expect(run.stdout.split('\n')).toEqual([
      'config/flows/payment.yaml:1 missing required key "key"',
      'config/flows/payment.yaml:7 transform.output: unknown schema "canonical.ordr@1" (did you mean "canonical.order@1"?)',
      'config/flows/payment.yaml:10 kye: unknown key "kye" (did you mean "key"?)',
      '✗ 3 problems in 1 of 2 flow files',
      '',
    ]);
    expect(run.code).toBe(1);
  });

  it('validates only the files and folders it is given, against --mappings', async () => {
    write({
      'flows/order.yaml': ORDER_FLOW.replace('clarity-to-canonical/order.jsonata', 'order.jsonata'),
      'flows/broken.yaml': 'id: [',
      'maps/order.jsonata': ORDER_MAPPING,
    });
    const run = await sb(['validate', 'flows/order.yaml', '--mappings', 'maps'], workspace);
    expect(run.stdout).toBe('✓ 1 flow valid in flows/order.yaml\n');
    expect(run.code).toBe(0);
  });

  it('fails on a path that does not exist', async () => {
    const run = await sb(['validate', 'config/flowz'], workspace);
    expect(run.stdout).toBe('config/flowz: no such file or folder\n✗ 1 path not found\n');
    expect(run.code).toBe(1);
  });
});

describe('sb test', () => {
  const fixture = (expectedStatus: string): string =>
    [
      'cases:',
      '  - name: a confirmed order',
      '    input: { ID: "SO-1", StatusKey: "CONFIRMED" }',
      `    expected: { orderId: "SO-1", status: "${expectedStatus}" }`,
      '  - name: a pending order',
      '    input: { ID: "SO-2", StatusKey: "PENDING" }',
      '    expected: { orderId: "SO-2", status: "pending" }',
      '',
    ].join('\n');

  it('prints ✓ per passing case and exits 0', async () => {
    write({ 'mappings/clarity-to-canonical/order.test.yaml': fixture('confirmed') });
    const run = await sb(['test'], workspace);
    expect(run.stdout).toBe(
      'mappings/clarity-to-canonical/order.test.yaml\n  ✓ a confirmed order\n  ✓ a pending order\n2 passed, 0 failed\n',
    );
    expect(run.code).toBe(0);
  });

  it('prints ✗ with a diff naming the wrong value, counts it and exits 1', async () => {
    write({ 'mappings/clarity-to-canonical/order.test.yaml': fixture('paid') });
    const run = await sb(['test', 'mappings/clarity-to-canonical/order.test.yaml'], workspace);
    expect(run.stdout).toContain('  ✗ a confirmed order\n');
    expect(run.stdout).toContain('  ✓ a pending order\n');
    expect(run.stdout).toMatch(/paid/);
    expect(run.stdout).toMatch(/confirmed/);
    expect(run.stdout).toMatch(/\n1 passed, 1 failed\n$/);
    expect(run.code).toBe(1);
  });

  it('passes the fixtures of the mapping the example flows use', async () => {
    const run = await sb(['test', 'mappings/clarity-to-canonical'], REPO);
    expect(run.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
    expect(run.code).toBe(0);
  });

  it('reports a malformed test file as a failure naming its line, and runs the others', async () => {
    write({
      'mappings/clarity-to-canonical/order.test.yaml': fixture('confirmed'),
      'mappings/clarity-to-canonical/broken.test.yaml':
        'mapping: order.jsonata\ncases:\n  - nam: typo\n',
    });
    const run = await sb(['test'], workspace);
    expect(run.stdout).toMatch(
      /^mappings\/clarity-to-canonical\/broken\.test\.yaml\n {2}✗ .*broken\.test\.yaml:3/,
    );
    expect(run.stdout).toMatch(/\n2 passed, 1 failed\n$/);
    expect(run.code).toBe(1);
  });

  it('fails when there is no test file to run', async () => {
    const run = await sb(['test'], workspace);
    expect(run.stdout).toBe('✗ no *.test.yaml files in mappings\n0 passed, 1 failed\n');
    expect(run.code).toBe(1);
  });
});

describe('sb eval', () => {
  it('prints the output JSON of a mapping for an input', async () => {
    write({ 'input.json': '{ "ID": "SO-9", "StatusKey": "SHIPPED" }' });
    const run = await sb(
      ['eval', 'mappings/clarity-to-canonical/order.jsonata', 'input.json'],
      workspace,
    );
    expect(JSON.parse(run.stdout)).toEqual({ orderId: 'SO-9', status: 'shipped' });
    expect(run.code).toBe(0);
  });

  it('names the mapping file, line and column of a syntax error and exits 1', async () => {
    write({
      'broken.jsonata': '{\n  "orderId": ID,\n  "total": Totals.Total )\n}\n',
      'input.json': '{}',
    });
    const run = await sb(['eval', 'broken.jsonata', 'input.json'], workspace);
    expect(run.stderr).toMatch(/broken\.jsonata:3:\d+ /);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
  });

  it('names the line and column of invalid JSON input and exits 1', async () => {
    write({ 'input.json': '{\n  "ID": "SO-9",\n  StatusKey: "SHIPPED"\n}\n' });
    const run = await sb(
      ['eval', 'mappings/clarity-to-canonical/order.jsonata', 'input.json'],
      workspace,
    );
    expect(run.stderr).toMatch(/^input\.json:3:3 invalid JSON: /);
    expect(run.code).toBe(1);
  });
});

describe('sb new connector', () => {
  it('scaffolds a connector skeleton and lists what it created', async () => {
    const run = await sb(['new', 'connector', 'acme-crm'], workspace);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created connectors/acme-crm/acme-crm.connector.ts');
    expect(run.stdout).toContain('✓ connector acme-crm scaffolded in connectors/acme-crm');
  });

  it('refuses an id that is not kebab-case, saying why', async () => {
    const run = await sb(['new', 'connector', 'Acme_CRM'], workspace);
    expect(run.stdout).toContain('connector id must be kebab-case');
    expect(run.code).toBe(1);
  });
});

describe('sb dlq', () => {
  it('says where it could not reach the runtime and exits 1', async () => {
    const run = await sb(['dlq', 'list', '--url', 'http://127.0.0.1:9'], workspace);
    expect(run.stderr).toContain('cannot reach the runtime at http://127.0.0.1:9');
    expect(run.code).toBe(1);
  });

  it('needs an id or a flow to replay', async () => {
    const run = await sb(['dlq', 'replay'], workspace);
    expect(run.stdout).toContain('give a dead letter id or --flow <id>');
    expect(run.code).toBe(1);
  });
});
