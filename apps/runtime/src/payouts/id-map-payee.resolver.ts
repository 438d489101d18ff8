import { PAYONEER_PAYEE_ID_MAP } from '@switchboard/id-mapping';
import { type IdMapRepository } from '@switchboard/persistence';
import { type PayeeResolver } from '@switchboard/payouts';

/**
 * Resolves who is owed (a Clarity account key) to a Payoneer payee id through the `payoneer-payee`
 * id map. As the namespace declares (first sight: same id), a key nobody mapped is its own payee
 * id: Payoneer then says whether such a payee exists, and validation sends unknown ones to review.
 * The entry is not written here; operators correct a payee with PUT /api/id-maps/payoneer-payee/:key.
 */
export class IdMapPayeeResolver implements PayeeResolver {
  constructor(private readonly idMaps: IdMapRepository) {}

  async resolve(partyReference: string): Promise<string | null> {
    const entry = await this.idMaps.findBySource(PAYONEER_PAYEE_ID_MAP.name, partyReference);
    if (entry !== undefined) return entry.targetId;
    return PAYONEER_PAYEE_ID_MAP.firstSight === 'same-id' ? partyReference : null;
  }
}
