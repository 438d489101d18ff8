import customer1 from '../schemas/canonical.customer/1.json';
import fee1 from '../schemas/canonical.fee/1.json';
import journalEntry1 from '../schemas/canonical.journal-entry/1.json';
import order1 from '../schemas/canonical.order/1.json';
import payment1 from '../schemas/canonical.payment/1.json';
import payout1 from '../schemas/canonical.payout/1.json';

/**
 * The canonical schemas this lib ships, by reference. Imported rather than read from disk so a
 * build carries them wherever the code goes; a spec checks every file under schemas/ is listed.
 */
export const SHIPPED_SCHEMAS: Readonly<Record<string, object>> = {
  'canonical.order@1': order1,
  'canonical.payment@1': payment1,
  'canonical.payout@1': payout1,
  'canonical.fee@1': fee1,
  'canonical.journal-entry@1': journalEntry1,
  'canonical.customer@1': customer1,
};
