import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FAILURE_TYPES } from '@switchboard/connector-sdk';
import flowSchema from '../../../../config/flow.schema.json';
import { MappingEngine } from '../mapping/mapping-engine';
import { DEFAULT_RETRY_POLICY } from '../retry/retry-policy';
import { type ConnectorCatalog } from './connector-catalog';
import { type FlowLoadOptions } from './flow-load-options';
import { checkFlowShape } from './flow-schema-check';
import { loadFlowFile, loadFlows } from './flow-loader';

const catalog: ConnectorCatalog = {
  connectorIds: () => ['clarity', 'erp'],
  events: (id) => ({ clarity: ['order.created', 'payment.processed'], erp: [] })[id],
  actions: (id) =>
    ({ clarity: ['listModifiedOrders', 'updateOrderStatus'], erp: ['postJournalEntry'] })[id],
};
const schemaRefs = ['canonical.order@1', 'canonical.payment@1'];
const registry = { has: (ref: string) => schemaRefs.includes(ref), refs: () => schemaRefs };

const ORDER_MAPPING = '{\n  "orderId": ID,\n  "total": Totals.Total\n}\n';

const GOOD_FLOW = `# yaml-language-server: $schema=../flow.schema.json
id: clarity-order-created
version: 3
description: Clarity orders onto the canonical order topic
trigger:
  webhook:
    connector: clarity
    event: order.created
transform:
  mapping: clarity-to-canonical/order.jsonata
  output: canonical.order@1
target:
  topic: canonical.order.v1
key: orderId
retry: { maxAttempts: 8, retryOn: [transient] }
`;

let root: string;
let previousCwd: string;

/** Writes files under the temp root (which is the cwd, so messages read `config/flows/...`). */
function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function options(overrides: Partial<FlowLoadOptions> = {}): FlowLoadOptions & { flowsDir: string } {
  return {
    flowsDir: 'config/flows',
    mappingsDir: 'mappings',
    engine: new MappingEngine(),
    registry,
    catalog,
    ...overrides,
  };
}

/** Loads the flows folder and returns the error lines as `sb validate` prints them. */
async function errorLines(overrides: Partial<FlowLoadOptions> = {}): Promise<string[]> {
  const { errors } = await loadFlows(options(overrides));
  return errors.map((error) => error.toString());
}

beforeEach(() => {
  previousCwd = process.cwd();
  root = mkdtempSync(join(tmpdir(), 'sb-flows-'));
  process.chdir(root);
  write({ 'mappings/clarity-to-canonical/order.jsonata': ORDER_MAPPING });
});

afterEach(() => {
  process.chdir(previousCwd);
  rmSync(root, { recursive: true, force: true });
});

describe('loadFlows on a good flow', () => {
  it('compiles the flow with its mapping, key, retry policy over the defaults and default DLQ topic', async () => {
    write({ 'config/flows/order.yaml': GOOD_FLOW });
    const { flows, errors } = await loadFlows(options());
    expect(errors).toEqual([]);
    expect(flows).toHaveLength(1);
    const flow = flows[0]!;
    expect(flow.definition.id).toBe('clarity-order-created');
    expect(flow.definition.trigger.webhook).toEqual({
      connector: 'clarity',
      event: 'order.created',
    });
    expect(flow.sourceFile).toBe(join(root, 'config/flows/order.yaml'));
    expect(flow.dlqTopic).toBe('sb.dlq.clarity-order-created');
    expect(flow.retry).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 8, retryOn: ['transient'] });
    const output = await flow.mapping!.evaluate({ ID: 'SO-1', Totals: { Total: '12.50' } });
    expect(output).toEqual({ orderId: 'SO-1', total: '12.50' });
    expect(await flow.key.evaluate(output)).toBe('SO-1');
  });

  it('changes the hash when the mapping changes, and keeps it when nothing does', async () => {
    write({ 'config/flows/order.yaml': GOOD_FLOW });
    const first = (await loadFlows(options())).flows[0]!.hash;
    expect((await loadFlows(options())).flows[0]!.hash).toBe(first);
    write({ 'mappings/clarity-to-canonical/order.jsonata': '{ "orderId": ID }' });
    expect((await loadFlows(options())).flows[0]!.hash).not.toBe(first);
  });

  it('loads a pass-through flow on a schedule into an action, with the dlq topic it names', async () => {
    write({
      'config/flows/poll.yaml': [
        'id: clarity-order-poll',
        'version: 1',
        'trigger:',
        '  schedule: { cron: "*/5 * * * *", action: clarity.listModifiedOrders, cursor: modifiedSince }',
        'target:',
        '  action: { connector: erp, name: postJournalEntry }',
        'key: reference',
        'dlq: { topic: sb.dlq.polls, alert: finance }',
        '',
      ].join('\n'),
    });
    const { flows, errors } = await loadFlows(options());
    expect(errors).toEqual([]);
    expect(flows[0]!.mapping).toBeNull();
    expect(flows[0]!.dlqTopic).toBe('sb.dlq.polls');
    expect(flows[0]!.retry).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('skips connector, event and action checks when no catalog is given', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace('connector: clarity', 'connector: shopify'),
    });
    const { flows, errors } = await loadFlows(options({ catalog: undefined }));
    expect(errors).toEqual([]);
    expect(flows).toHaveLength(1);
  });
});

describe('loadFlows on broken flows', () => {
  it('points a typo in an event at its file, line and path, with a suggestion', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace('event: order.created', 'event: order.creatd'),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:8 trigger.webhook.event: unknown event "order.creatd" (did you mean "order.created"?)',
    ]);
  });

  it('reports an unknown connector with the loaded ones', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace('connector: clarity', 'connector: magento'),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:7 trigger.webhook.connector: unknown connector "magento"; loaded connectors: clarity, erp',
    ]);
  });

  it('reports unknown actions of a schedule trigger and of an action target', async () => {
    write({
      'config/flows/poll.yaml': [
        'id: clarity-order-poll',
        'version: 1',
        'trigger:',
        '  schedule: { cron: "*/5 * * * *", action: clarity.listModifedOrders }',
        'target:',
        '  action: { connector: erp, name: postJournal }',
        'key: reference',
        '',
      ].join('\n'),
    });
    expect(await errorLines()).toEqual([
      'config/flows/poll.yaml:4 trigger.schedule.action: unknown action "clarity.listModifedOrders" (did you mean "clarity.listModifiedOrders"?)',
      'config/flows/poll.yaml:6 target.action.name: unknown action "postJournal"; connector "erp" has actions: postJournalEntry',
    ]);
  });

  it('reports a missing mapping file with the nearest existing one', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace(
        'canonical/order.jsonata',
        'canonical/ordr.jsonata',
      ),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:10 transform.mapping: mapping file not found: mappings/clarity-to-canonical/ordr.jsonata (did you mean "clarity-to-canonical/order.jsonata"?)',
    ]);
  });

  it("reports a mapping that does not compile with the mapping's own file:line:column", async () => {
    write({
      'mappings/clarity-to-canonical/order.jsonata':
        '{\n  "orderId": ID,\n  "total": Totals.Total )\n}\n',
      'config/flows/order.yaml': GOOD_FLOW,
    });
    const { errors, flows } = await loadFlows(options());
    expect(flows).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('transform.mapping');
    expect(errors[0]!.line).toBe(10);
    expect(errors[0]!.toString()).toMatch(
      /^config\/flows\/order\.yaml:10 transform\.mapping: mapping does not compile: mappings\/clarity-to-canonical\/order\.jsonata:3:\d+ /,
    );
  });

  it('reports an unknown schema reference with the nearest registered one', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace(
        'output: canonical.order@1',
        'output: canonical.ordr@1',
      ),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:11 transform.output: unknown schema "canonical.ordr@1" (did you mean "canonical.order@1"?)',
    ]);
  });

  it('reports a duplicate id in the second file, naming the first', async () => {
    write({
      'config/flows/a-order.yaml': GOOD_FLOW,
      'config/flows/b-order-copy.yaml': GOOD_FLOW,
    });
    const { flows, errors } = await loadFlows(options());
    expect(flows.map((flow) => flow.sourceFile)).toEqual([join(root, 'config/flows/a-order.yaml')]);
    expect(errors.map(String)).toEqual([
      'config/flows/b-order-copy.yaml:2 id: duplicate flow id "clarity-order-created": already defined in config/flows/a-order.yaml:2',
    ]);
  });

  it('reports a bad cron expression with the reason', async () => {
    write({
      'config/flows/poll.yaml': [
        'id: clarity-order-poll',
        'version: 1',
        'trigger:',
        '  schedule:',
        '    cron: "61 * * * *"',
        '    action: clarity.listModifiedOrders',
        'target: { topic: clarity.orders.raw }',
        'key: ID',
        '',
      ].join('\n'),
    });
    expect(await errorLines()).toEqual([
      'config/flows/poll.yaml:5 trigger.schedule.cron: invalid cron expression "61 * * * *": Field value (61) is out of range',
    ]);
  });

  it('reports a YAML syntax error at its line', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace(
        '  output: canonical.order@1',
        '  output: [canonical.order@1',
      ),
    });
    const lines = await errorLines();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^config\/flows\/order\.yaml:1[12] YAML syntax error: /);
  });

  it('reports a duplicated key as a YAML error at the second occurrence', async () => {
    write({ 'config/flows/order.yaml': `${GOOD_FLOW}key: ID\n` });
    expect(await errorLines()).toEqual([
      expect.stringMatching(/^config\/flows\/order\.yaml:16 YAML syntax error: .*unique/),
    ]);
  });

  it('reports an unknown key at the key, with a suggestion', async () => {
    write({ 'config/flows/order.yaml': GOOD_FLOW.replace('retry:', 'retrys:') });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:15 retrys: unknown key "retrys" (did you mean "retry"?)',
    ]);
  });

  it('reports a misspelt retry class with a suggestion', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace(
        'retryOn: [transient]',
        'retryOn: [transient, rate_limitd]',
      ),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:15 retry.retryOn[1]: must be one of config, transient, rate_limited, business, got "rate_limitd" (did you mean "rate_limited"?)',
    ]);
  });

  it('reports a trigger with two kinds, and a missing required key', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace(
        'transform:',
        '  topic: clarity.orders.raw\ntransform:',
      ).replace('key: orderId\n', ''),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:2 missing required key "key"',
      'config/flows/order.yaml:6 trigger: must set exactly one of: webhook, schedule, topic, found: webhook, topic',
    ]);
  });

  it('reports a key that is not valid JSONata', async () => {
    write({ 'config/flows/order.yaml': GOOD_FLOW.replace('key: orderId', 'key: "orderId &"') });
    expect(await errorLines()).toEqual([
      expect.stringMatching(
        /^config\/flows\/order\.yaml:14 key: invalid JSONata expression \(column \d+\): /,
      ),
    ]);
  });

  it('reports a flow that would consume its own output', async () => {
    write({
      'config/flows/loop.yaml':
        'id: loop\nversion: 1\ntrigger: { topic: canonical.order.v1 }\ntarget: { topic: canonical.order.v1 }\nkey: orderId\n',
    });
    expect(await errorLines()).toEqual([
      'config/flows/loop.yaml:4 target.topic: "canonical.order.v1" is also the trigger topic: the flow would consume its own output forever',
    ]);
  });

  it('reports a first retry delay longer than the longest', async () => {
    write({
      'config/flows/order.yaml': GOOD_FLOW.replace(
        'maxAttempts: 8',
        'maxAttempts: 8, initialMs: 90000',
      ),
    });
    expect(await errorLines()).toEqual([
      'config/flows/order.yaml:15 retry.initialMs: 90000 is more than maxMs (60000): the first delay cannot exceed the longest',
    ]);
  });

  it('collects every problem of a file, in line order, and still loads the good files', async () => {
    write({
      'config/flows/good.yaml': GOOD_FLOW,
      'config/flows/broken.yaml': [
        'id: Broken_Flow',
        'version: 0',
        'trigger:',
        '  webhook: { connector: clarity, event: order.creatd }',
        'transform: { mapping: nowhere/order.jsonata, output: canonical.nothing@1 }',
        'target: { topik: canonical.order.v1 }',
        'key: orderId',
        '',
      ].join('\n'),
    });
    const { flows, errors } = await loadFlows(options());
    expect(flows.map((flow) => flow.definition.id)).toEqual(['clarity-order-created']);
    expect(errors.map(String)).toEqual([
      'config/flows/broken.yaml:1 id: must be kebab-case: lowercase letters and digits separated by single dashes, got "Broken_Flow"',
      'config/flows/broken.yaml:2 version: must be >= 1, got 0',
      'config/flows/broken.yaml:4 trigger.webhook.event: unknown event "order.creatd" (did you mean "order.created"?)',
      'config/flows/broken.yaml:5 transform.mapping: mapping file not found: mappings/nowhere/order.jsonata',
      'config/flows/broken.yaml:5 transform.output: unknown schema "canonical.nothing@1"',
      'config/flows/broken.yaml:6 target.topik: unknown key "topik" (did you mean "topic"?)',
    ]);
  });

  it('reports an empty file instead of loading nothing silently', async () => {
    write({ 'config/flows/empty.yaml': '# nothing yet\n' });
    expect(await errorLines()).toEqual([
      'config/flows/empty.yaml:1 the file is empty: a flow needs at least id, version, trigger, target and key',
    ]);
  });

  it('fails loudly when the flows folder does not exist', async () => {
    await expect(
      loadFlows(options({ flowsDir: 'config/nowhere' } as Partial<FlowLoadOptions>)),
    ).rejects.toThrow(/cannot read the flows folder config\/nowhere/);
  });
});

describe('loadFlowFile', () => {
  it('refuses an id already loaded from another file, as hot reload needs', async () => {
    write({ 'config/flows/a.yaml': GOOD_FLOW, 'config/flows/b.yaml': GOOD_FLOW });
    const first = await loadFlowFile('config/flows/a.yaml', options());
    expect(first.errors).toEqual([]);
    const second = await loadFlowFile('config/flows/b.yaml', {
      ...options(),
      otherFlows: [first.flow!],
    });
    expect(second.flow).toBeUndefined();
    expect(second.errors.map(String)).toEqual([
      'config/flows/b.yaml:2 id: duplicate flow id "clarity-order-created": already defined in config/flows/a.yaml',
    ]);
  });

  it('reloads its own file without calling it a duplicate of itself', async () => {
    write({ 'config/flows/a.yaml': GOOD_FLOW });
    const first = await loadFlowFile('config/flows/a.yaml', options());
    const again = await loadFlowFile('config/flows/a.yaml', {
      ...options(),
      otherFlows: [first.flow!],
    });
    expect(again.errors).toEqual([]);
    expect(again.flow?.hash).toBe(first.flow?.hash);
  });
});

describe('config/flow.schema.json', () => {
  it('accepts its own example, which editors offer as a template', () => {
    expect(flowSchema.examples.flatMap((example) => checkFlowShape(example))).toEqual([]);
  });

  it('offers exactly the failure classes connectors can report in retry.retryOn', () => {
    expect(flowSchema.properties.retry.properties.retryOn.items.enum).toEqual([...FAILURE_TYPES]);
  });
});
