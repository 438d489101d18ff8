import { type MappingFunctions } from './mapping-functions';
import { MappingFunctionUnavailableError } from './mapping-errors';

/** For a runtime without id maps or rate tables: every call fails loudly, never with made-up data. */
export const UNCONFIGURED_MAPPING_FUNCTIONS: MappingFunctions = Object.freeze({
  async lookup(namespace: string, id: string): Promise<string> {
    throw new MappingFunctionUnavailableError(
      `$lookup is not configured in this runtime: no id map is wired in to answer $lookup(${JSON.stringify(namespace)}, ${JSON.stringify(id)})`,
    );
  },
  async fx(amount: string | number, from: string, to: string): Promise<string> {
    throw new MappingFunctionUnavailableError(
      `$fx is not configured in this runtime: no rate table is wired in to convert ${String(amount)} ${from} to ${to}`,
    );
  },
});
