import { ConnectorError } from '@switchboard/connector-sdk';
import { type MappingFunctions, MappingFunctionError } from '@switchboard/flow-engine';
import { FxArgumentError, type FxConverter, FxRateMissingError } from '@switchboard/fx';
import { IdMapMissingError, type IdMapper } from '@switchboard/id-mapping';
import { STATUS_NAMESPACE_PREFIX, type StatusTable } from './status-table';

/**
 * The runtime's $lookup/$fx: status names from the status table, ids from the Postgres id maps
 * (created on first sight where the namespace allows), rates from the Postgres rate table.
 * A missing entry or rate is a MappingFunctionError (business: the event goes to review); the
 * database failing is a transient ConnectorError, so the event is retried rather than reviewed.
 */
export class PostgresMappingFunctions implements MappingFunctions {
  constructor(
    private readonly idMapper: IdMapper,
    private readonly fxConverter: FxConverter,
    private readonly statuses: StatusTable,
  ) {}

  async lookup(namespace: string, id: string): Promise<string> {
    if (namespace.startsWith(STATUS_NAMESPACE_PREFIX)) {
      return this.statuses.lookup(namespace.slice(STATUS_NAMESPACE_PREFIX.length), id);
    }
    try {
      return await this.idMapper.lookup(namespace, id);
    } catch (error) {
      if (error instanceof IdMapMissingError) {
        throw new MappingFunctionError(error.code, error.message, { cause: error });
      }
      throw storeFailure(`$lookup(${JSON.stringify(namespace)}, ${JSON.stringify(id)})`, error);
    }
  }

  /** Status tables are in memory; id maps live in the database, so only `lookup` answers those. */
  lookupNow(namespace: string, id: string): string | undefined {
    if (!namespace.startsWith(STATUS_NAMESPACE_PREFIX)) return undefined;
    return this.statuses.find(namespace.slice(STATUS_NAMESPACE_PREFIX.length), id);
  }

  async fx(amount: string | number, from: string, to: string, date?: string): Promise<string> {
    try {
      return (await this.fxConverter.convert({ amount, from, to, date })).amount;
    } catch (error) {
      if (error instanceof FxRateMissingError || error instanceof FxArgumentError) {
        throw new MappingFunctionError(error.code, error.message, { cause: error });
      }
      throw storeFailure(`$fx(${JSON.stringify(amount)}, "${from}", "${to}")`, error);
    }
  }
}

function storeFailure(call: string, error: unknown): ConnectorError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectorError('transient', `${call}: the id map / rate store failed: ${reason}`, {
    code: 'MAPPING_STORE_UNAVAILABLE',
    cause: error,
  });
}
