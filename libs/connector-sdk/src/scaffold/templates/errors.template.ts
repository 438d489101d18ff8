import { type ScaffoldNames } from '../scaffold-names';

/** `<id>.errors.ts`: the connector's failure classification. */
export function errorsTemplate(n: ScaffoldNames): string {
  return `import { ConnectorError, HttpStatusError } from '@switchboard/connector-sdk';

/**
 * Refines failures the default classification cannot know about: the remote's business
 * refusals. Answer undefined to keep the default (429 → rate_limited, 5xx → transient, …).
 */
export function classify${n.pascal}Error(failure: unknown): ConnectorError | undefined {
  if (!(failure instanceof HttpStatusError)) return undefined;
  if (failure.status === 404) {
    return new ConnectorError('business', \`${n.title} has no such item: \${failure.message}\`, {
      code: 'ITEM_NOT_FOUND',
      status: 404,
      cause: failure,
    });
  }
  if (failure.status === 422) {
    return new ConnectorError('business', \`${n.title} refused the item: \${failure.message}\`, {
      code: 'ITEM_REJECTED',
      status: 422,
      cause: failure,
    });
  }
  return undefined;
}
`;
}
