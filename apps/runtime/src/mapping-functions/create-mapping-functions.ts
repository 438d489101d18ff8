import { resolve } from 'node:path';
import { type MappingFunctions } from '@switchboard/flow-engine';
import { FxConverter } from '@switchboard/fx';
import { IdMapper, PAYONEER_PAYEE_ID_MAP } from '@switchboard/id-mapping';
import { FxRateRepository, IdMapRepository } from '@switchboard/persistence';
import { type DataSource } from 'typeorm';
import { PostgresMappingFunctions } from './postgres-mapping-functions';
import { StatusTable } from './status-table';

/** The id maps the runtime declares for $lookup; operators may fill any other namespace through the API. */
export const RUNTIME_ID_MAPS = [PAYONEER_PAYEE_ID_MAP];

/** $lookup/$fx for the runtime: Postgres id maps and rates, plus `<mappingsDir>/statuses.yaml`. */
export function createMappingFunctions(dataSource: DataSource, mappingsDir: string): MappingFunctions {
  return new PostgresMappingFunctions(
    new IdMapper(new IdMapRepository(dataSource), RUNTIME_ID_MAPS),
    new FxConverter(new FxRateRepository(dataSource)),
    StatusTable.load(resolve(mappingsDir, 'statuses.yaml')),
  );
}
