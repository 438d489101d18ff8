import { Command } from 'commander';
import { dlqCommand } from './commands/dlq.command';
import { evalCommand } from './commands/eval.command';
import { newCommand } from './commands/new-connector.command';
import { testCommand } from './commands/test.command';
import { validateCommand } from './commands/validate.command';

/**
 * The `sb` command line. Each sub-command lives in its own file in commands/ and exports a
 * factory returning a commander `Command`; a new command is one more file and one more line here.
 */
export function buildCli(): Command {
  return new Command('sb')
    .description('Switchboard: validate flows, test and evaluate mappings, scaffold connectors, replay dead letters')
    .showHelpAfterError()
    .addCommand(validateCommand())
    .addCommand(testCommand())
    .addCommand(evalCommand())
    .addCommand(newCommand())
    .addCommand(dlqCommand());
}
