import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { ScaffoldError } from './scaffold-error';
import { scaffoldNames } from './scaffold-names';
import { conformanceSpecTemplate } from './templates/conformance-spec.template';
import { connectorTemplate } from './templates/connector.template';
import { createItemActionTemplate } from './templates/create-item-action.template';
import { errorsTemplate } from './templates/errors.template';
import { fakeServerTemplate } from './templates/fake-server.template';
import { getItemActionTemplate } from './templates/get-item-action.template';
import { itemEventsTriggerTemplate } from './templates/item-events-trigger.template';
import { itemSchemaTemplate } from './templates/item-schema.template';
import { pluginIndexTemplate } from './templates/plugin-index.template';

export interface ScaffoldOptions {
  /** kebab-case connector id, e.g. `acme-crm`. */
  id: string;
  /** The connector's folder, e.g. `connectors/acme-crm`; created if missing, must be empty. */
  targetDir: string;
}

export interface ScaffoldResult {
  targetDir: string;
  /** Paths of the generated files, relative to `targetDir`. */
  files: string[];
}

const CONNECTOR_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Generates a working connector skeleton: manifest, one sample read and write action, a signed
 * webhook trigger, error classification, and a conformance test against a local fake server
 * that passes as generated.
 */
export async function scaffoldConnector(options: ScaffoldOptions): Promise<ScaffoldResult> {
  if (!CONNECTOR_ID.test(options.id)) {
    throw new ScaffoldError(`connector id must be kebab-case (e.g. acme-crm), got "${options.id}"`);
  }
  const targetDir = resolve(options.targetDir);
  const existing = await readdir(targetDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0)
    throw new ScaffoldError(`${targetDir} is not empty; scaffold into a new folder`);

  const names = scaffoldNames(options.id);
  const files: Record<string, string> = {
    'index.ts': pluginIndexTemplate(names),
    [`${names.id}.connector.ts`]: connectorTemplate(names),
    [`${names.id}.errors.ts`]: errorsTemplate(names),
    'actions/item.schema.ts': itemSchemaTemplate(),
    'actions/get-item.action.ts': getItemActionTemplate(),
    'actions/create-item.action.ts': createItemActionTemplate(),
    'triggers/item-events.trigger.ts': itemEventsTriggerTemplate(names),
    [`test/fake-${names.id}.server.ts`]: fakeServerTemplate(names),
    [`test/${names.id}.conformance.spec.ts`]: conformanceSpecTemplate(names),
  };
  for (const [path, content] of Object.entries(files)) {
    const file = join(targetDir, path);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, content, { flag: 'wx' });
  }
  return { targetDir, files: Object.keys(files) };
}
