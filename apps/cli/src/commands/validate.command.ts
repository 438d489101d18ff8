import { Command } from 'commander';
import { loadFlowFiles, MappingEngine } from '@switchboard/flow-engine';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { collectFiles } from '../collect-files';
import { loadPluginCatalog } from '../plugin-catalog';
import { plural } from '../plural';

/** `sb validate [paths...]`: checks flow files as the runtime would load them. */
export function validateCommand(): Command {
  return new Command('validate')
    .description('check flow files: schema, mappings, schema refs, cron, keys and unique ids')
    .argument('[paths...]', 'flow files or folders', ['config/flows'])
    .option('--mappings <dir>', 'folder that transform.mapping paths are relative to', 'mappings')
    .option('--config <file>', 'runtime config whose plugins resolve connector, event and action names', 'config/runtime.yaml')
    .action(async (paths: string[], options: { mappings: string; config: string }) => {
      const { files, missing } = await collectFiles(paths, /\.ya?ml$/);
      for (const path of missing) console.log(`${path}: no such file or folder`);
      const { flows, errors } = await loadFlowFiles(files, {
        mappingsDir: options.mappings,
        engine: new MappingEngine(),
        registry: SchemaRegistry.load(),
        catalog: await loadPluginCatalog(options.config),
      });
      for (const error of errors) console.log(error.toString());
      if (errors.length === 0 && missing.length === 0) {
        console.log(`✓ ${plural(flows.length, 'flow')} valid in ${paths.join(', ')}`);
        return;
      }
      const invalidFiles = new Set(errors.map((error) => error.file)).size;
      const summary = [
        errors.length > 0
          ? `${plural(errors.length, 'problem')} in ${invalidFiles} of ${plural(files.length, 'flow file')}`
          : '',
        missing.length > 0 ? `${plural(missing.length, 'path')} not found` : '',
      ];
      console.log(`✗ ${summary.filter(Boolean).join(', ')}`);
      process.exitCode = 1;
    });
}
