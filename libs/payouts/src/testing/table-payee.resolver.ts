import { type PayeeResolver } from '../payee-resolver.port';

/** A `PayeeResolver` over an in-memory table (party reference → payee id), for tests and the demo. */
export class TablePayeeResolver implements PayeeResolver {
  private readonly table: Map<string, string>;

  constructor(entries: Iterable<[string, string]> = []) {
    this.table = new Map(entries);
  }

  /** Maps (or re-maps, when correcting a payee) a party to a payee. */
  set(partyReference: string, payeeId: string): void {
    this.table.set(partyReference, payeeId);
  }

  async resolve(partyReference: string): Promise<string | null> {
    return this.table.get(partyReference) ?? null;
  }
}
