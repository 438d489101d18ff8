import { createHash } from 'node:crypto';
import { isConnectorError } from '@switchboard/connector-sdk';
import {
  type GatewayPayeeStatus,
  type GatewayPayoutStatus,
  type PayoutGateway,
  PayoutGatewayError,
  type PayoutSubmission,
} from '@switchboard/payouts';
import { type ActionInvoker } from '../worker/action-invoker';

const PAYOUT_STATUS: Record<string, GatewayPayoutStatus['status']> = {
  pending: 'pending',
  'pending payee': 'pending_payee',
  transferred: 'transferred',
  funded: 'transferred',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  failed: 'failed',
};

const PAYEE_STATUS: Record<string, GatewayPayeeStatus> = {
  ACTIVE: 'active',
  PENDING: 'pending',
  INACTIVE: 'inactive',
};

/** What the Payoneer connector's `getPayoutStatus` answers (the fields used here). */
interface ConnectorPayoutStatus {
  status: string;
  payoutId?: string;
  reasonCode?: string;
  reasonDescription?: string;
}

/**
 * The production `PayoutGateway`: every call goes through the runtime's action invoker to the
 * Payoneer connector, so its auth, retries, circuit breaker, metrics and redaction apply.
 * Connector failures are turned into the lib's `PayoutGatewayError` kinds.
 */
export class ConnectorPayoutGateway implements PayoutGateway {
  constructor(
    private readonly actions: ActionInvoker,
    private readonly connectorId: string,
  ) {}

  async getBalance(currency: string): Promise<string> {
    const { balances } = (await this.call('getAccountBalances', {}, `balances:${currency}`)) as {
      balances: Array<{ currency: string; available: string }>;
    };
    return balances.find((balance) => balance.currency === currency)?.available ?? '0.00';
  }

  async submit(items: readonly PayoutSubmission[]): Promise<void> {
    // The connector drops references Payoneer already holds and sends the rest: a resend after
    // a crash neither fails nor pays twice.
    const references = items.map((item) => item.clientReferenceId);
    const key = createHash('sha256').update(references.join('\n')).digest('hex').slice(0, 32);
    await this.call(
      'submitPayouts',
      {
        payouts: items.map((item) => ({
          clientReferenceId: item.clientReferenceId,
          payeeId: item.payeeId,
          amount: item.amount,
          currency: item.currency,
          description: item.description,
        })),
      },
      `submit:${key}`,
      references,
    );
  }

  async getStatus(clientReferenceId: string): Promise<GatewayPayoutStatus | null> {
    let answer: ConnectorPayoutStatus;
    try {
      answer = (await this.call(
        'getPayoutStatus',
        { clientReferenceId },
        `status:${clientReferenceId}`,
      )) as ConnectorPayoutStatus;
    } catch (error) {
      if (
        error instanceof PayoutGatewayError &&
        error.details.cause !== undefined &&
        codeOf(error.details.cause) === 'PAYOUT_NOT_FOUND'
      )
        return null;
      throw error;
    }
    const reasonCode = answer.reasonCode === undefined ? NaN : Number(answer.reasonCode);
    return {
      status: PAYOUT_STATUS[answer.status.toLowerCase()] ?? 'pending',
      rawStatus: answer.status,
      ...(answer.payoutId === undefined ? {} : { payoutId: answer.payoutId }),
      ...(Number.isInteger(reasonCode) ? { reasonCode } : {}),
      ...(answer.reasonDescription === undefined
        ? {}
        : { reasonDescription: answer.reasonDescription }),
    };
  }

  async cancel(clientReferenceId: string): Promise<void> {
    await this.call('cancelPayout', { clientReferenceId }, `cancel:${clientReferenceId}`);
  }

  async getPayeeStatus(payeeId: string): Promise<GatewayPayeeStatus> {
    try {
      const answer = (await this.call('getPayeeStatus', { payeeId }, `payee:${payeeId}`)) as {
        status: string;
      };
      return PAYEE_STATUS[answer.status] ?? 'unknown';
    } catch (error) {
      if (error instanceof PayoutGatewayError && codeOf(error.details.cause) === 'PAYEE_NOT_FOUND')
        return 'unknown';
      throw error;
    }
  }

  private async call(
    action: string,
    input: unknown,
    key: string,
    references: readonly string[] = [],
  ): Promise<unknown> {
    try {
      return await this.actions.invoke(this.connectorId, action, input, {
        idempotencyKey: `payouts:${key}`,
        correlationId: `payouts:${key}`,
      });
    } catch (error) {
      throw toGatewayError(action, error, references);
    }
  }
}

/** Maps a connector failure onto the lib's failure kinds. */
export function toGatewayError(
  action: string,
  error: unknown,
  references: readonly string[] = [],
): PayoutGatewayError {
  const message = `payoneer.${action}: ${error instanceof Error ? error.message : String(error)}`;
  if (!isConnectorError(error))
    return new PayoutGatewayError('transient', message, { cause: error });
  switch (error.failureType) {
    case 'rate_limited':
      return new PayoutGatewayError('rate_limited', message, {
        cause: error,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      });
    case 'transient':
      return new PayoutGatewayError('transient', message, { cause: error });
    case 'config':
      return new PayoutGatewayError('config', message, { cause: error });
    case 'business':
      break;
  }
  const errors = (error.details?.['errors'] ?? []) as Array<{ target?: unknown; value?: unknown }>;
  switch (error.code) {
    case 'INSUFFICIENT_FUNDS': {
      const currency = errors.find((item) => item.target === 'balance')?.value;
      return new PayoutGatewayError('insufficient_funds', message, {
        cause: error,
        ...(typeof currency === 'string' ? { currency } : {}),
      });
    }
    case 'PAYOUT_ALREADY_EXISTS':
      return new PayoutGatewayError('duplicate', message, {
        cause: error,
        clientReferenceIds: errors
          .filter((item) => item.target === 'client_reference_id')
          .map((item) => String(item.value)),
      });
    default: {
      // A refused chunk names its culprits as `Payments[i].<field>`.
      const indexes = errors
        .map((item) => /^Payments\[(\d+)\]/i.exec(String(item.target))?.[1])
        .filter((index): index is string => index !== undefined)
        .map(Number)
        .filter((index) => index < Math.max(references.length, 1));
      return new PayoutGatewayError('rejected', message, {
        cause: error,
        ...(indexes.length > 0 ? { itemIndexes: [...new Set(indexes)] } : {}),
      });
    }
  }
}

function codeOf(error: unknown): string | undefined {
  return isConnectorError(error) ? error.code : undefined;
}
