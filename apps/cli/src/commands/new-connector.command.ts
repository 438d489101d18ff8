import { Command } from 'commander';
import { scaffoldConnector, ScaffoldError } from '@switchboard/connector-sdk';

/** `sb new connector <id>`: a working connector skeleton whose tests pass the conformance kit. */
export function newCommand(): Command {
  const connector = new Command('connector')
    .description('scaffold a connector plugin (definition, an action, a webhook trigger, conformance tests)')
    .argument('<id>', 'kebab-case connector id, e.g. acme-crm')
    .option('--dir <folder>', 'folder that holds connectors', 'connectors')
    .action(async (id: string, options: { dir: string }) => {
      try {
        const result = await scaffoldConnector({ id, targetDir: `${options.dir}/${id}` });
        for (const file of result.files) console.log(`  created ${options.dir}/${id}/${file}`);
        console.log(`\n✓ connector ${id} scaffolded in ${options.dir}/${id}`);
        console.log(`  next: npx jest ${options.dir}/${id}   (runs the conformance kit)`);
        console.log(`        add { module: ${options.dir}/${id}, baseUrl: ... } to plugins in config/runtime.yaml`);
      } catch (error) {
        if (!(error instanceof ScaffoldError)) throw error;
        console.log(`✗ ${error.message}`);
        process.exitCode = 1;
      }
    });
  return new Command('new').description('create new project parts').addCommand(connector);
}
