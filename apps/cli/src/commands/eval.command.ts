import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  MappingCompileError,
  MappingEngine,
  MappingEvaluationError,
} from '@switchboard/flow-engine';

/** `sb eval <mapping> <input>`: runs one mapping on one input and prints the output JSON. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('evaluate a JSONata mapping against an input JSON file and print the output')
    .argument('<mapping>', '.jsonata file')
    .argument('<input>', 'JSON file with the input event')
    .action(async (mappingPath: string, inputPath: string) => {
      const input = await readJsonFile(inputPath);
      if (input.error !== undefined) {
        console.error(input.error);
        process.exitCode = 1;
        return;
      }
      try {
        const output = await new MappingEngine().compileFile(mappingPath).evaluate(input.value);
        if (output === undefined)
          console.error('(no output: the mapping matched nothing in the input)');
        else console.log(JSON.stringify(output, null, 2));
      } catch (error) {
        if (!(error instanceof MappingCompileError || error instanceof MappingEvaluationError))
          throw error;
        console.error(error.message);
        process.exitCode = 1;
      }
    });
}

/** The parsed file, or an error naming file:line:column of the first bad character. */
async function readJsonFile(
  path: string,
): Promise<{ value: unknown; error?: undefined } | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      error: `${path}: cannot read the input: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Without a position the parser ran out of text ("Unexpected end of JSON input").
    const offset = Number(/at position (\d+)/.exec(reason)?.[1] ?? text.length);
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    return { error: `${path}:${line}:${column} invalid JSON: ${reason}` };
  }
}
