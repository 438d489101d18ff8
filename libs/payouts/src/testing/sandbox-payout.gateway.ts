import {
  type GatewayPayeeStatus,
  type GatewayPayoutStatus,
  type PayoutGateway,
  type PayoutSubmission,
} from '../payout-gateway.port';
import { PayoutGatewayError } from '../payout.errors';

/** Where the sandbox's (or a real) Payoneer answers, and who we are. */
export interface SandboxPayoutGatewayOptions {
  /** The `/payoneer` base, e.g. `sandbox.urls.payoneer`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  programId: string;
  accountId: string;
}

type WireObject = Record<string, unknown>;

const PAYEE_STATUS: Record<number, GatewayPayeeStatus> = {
  0: 'pending',
  1: 'active',
  99: 'inactive',
};
const PAYOUT_STATUS: Record<string, GatewayPayoutStatus['status']> = {
  pending: 'pending',
  'pending payee': 'pending_payee',
  transferred: 'transferred',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  failed: 'failed',
};

/**
 * A `PayoutGateway` speaking Payoneer's v4 HTTP API directly, for tests against the sandbox
 * (the runtime's adapter wraps the Payoneer connector instead). No retries of its own: it only
 * classifies failures, so the services' retry and idempotency logic is what gets tested.
 */
export class SandboxPayoutGateway implements PayoutGateway {
  private token: string | null = null;

  constructor(private readonly options: SandboxPayoutGatewayOptions) {}

  async getBalance(currency: string): Promise<string> {
    const body = await this.request('GET', `/v4/accounts/${this.options.accountId}/balances`);
    const items = asArray(asObject(body.result).items);
    const balance = items.map(asObject).find((item) => item.currency === currency);
    return balance === undefined ? '0.00' : String(balance.available_balance);
  }

  async submit(items: readonly PayoutSubmission[]): Promise<void> {
    await this.request('POST', `/v4/programs/${this.options.programId}/masspayouts`, {
      Payments: items.map((item) => ({
        client_reference_id: item.clientReferenceId,
        payee_id: item.payeeId,
        amount: item.amount,
        currency: item.currency,
        description: item.description,
      })),
    });
  }

  async getStatus(clientReferenceId: string): Promise<GatewayPayoutStatus | null> {
    const body = await this.request(
      'GET',
      `/v4/programs/${this.options.programId}/payouts/${encodeURIComponent(clientReferenceId)}/status`,
      undefined,
      [2306],
    );
    if (body.result === undefined) return null;
    const result = asObject(body.result);
    const rawStatus = String(result.status);
    const code = result.cancel_reason_code ?? result.reason_code;
    const description = result.cancel_reason_description ?? result.reason_description;
    return {
      status: PAYOUT_STATUS[rawStatus.toLowerCase()] ?? 'pending',
      rawStatus,
      payoutId:
        typeof result.payout_id === 'string' || typeof result.payout_id === 'number'
          ? String(result.payout_id)
          : undefined,
      reasonCode: typeof code === 'number' ? code : undefined,
      reasonDescription: typeof description === 'string' ? description : undefined,
    };
  }

  async cancel(clientReferenceId: string): Promise<void> {
    await this.request(
      'PUT',
      `/v4/programs/${this.options.programId}/payouts/${encodeURIComponent(clientReferenceId)}/cancel`,
    );
  }

  async getPayeeStatus(payeeId: string): Promise<GatewayPayeeStatus> {
    const body = await this.request(
      'GET',
      `/v4/programs/${this.options.programId}/payees/${encodeURIComponent(payeeId)}/status`,
      undefined,
      [10005],
    );
    if (body.result === undefined) return 'unknown';
    const type = asObject(asObject(body.result).status).type;
    return (typeof type === 'number' ? PAYEE_STATUS[type] : undefined) ?? 'unknown';
  }

  /** One call; `notFoundCodes` turn a 404 carrying one of them into an empty body. Refreshes an expired token once. */
  private async request(
    method: string,
    path: string,
    body?: unknown,
    notFoundCodes: readonly number[] = [],
    retriedAuth = false,
  ): Promise<WireObject> {
    const token = await this.accessToken();
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new PayoutGatewayError('transient', `${method} ${path}: network error`, {
        cause: error,
      });
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok) return parsed;
    const details = asObject(parsed.error_details);
    const description =
      typeof parsed.error_description === 'string' ? parsed.error_description : text;
    const where = `${method} ${path} → ${response.status} ${description}`;
    if (response.status === 401 && !retriedAuth) {
      this.token = null;
      return this.request(method, path, body, notFoundCodes, true);
    }
    if (
      response.status === 404 &&
      [details.code, details.sub_code].some((code) => notFoundCodes.includes(Number(code)))
    )
      return {};
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      return Promise.reject(
        new PayoutGatewayError('rate_limited', where, {
          retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined,
        }),
      );
    }
    if (response.status >= 500) throw new PayoutGatewayError('transient', where);
    const errors = asArray(details.errors).map(asObject);
    if (details.sub_code === 3) {
      const currency = errors.find((error) => error.target === 'balance')?.value;
      throw new PayoutGatewayError('insufficient_funds', where, {
        currency: typeof currency === 'string' ? currency : undefined,
      });
    }
    if (details.sub_code === 10304)
      throw new PayoutGatewayError('duplicate', where, {
        clientReferenceIds: errors.map((error) => String(error.value)),
      });
    if (response.status === 400) {
      const indexes = errors
        .map((error) => /^Payments\[(\d+)\]/.exec(String(error.target))?.[1])
        .filter((index): index is string => index !== undefined)
        .map(Number);
      throw new PayoutGatewayError('rejected', where, {
        itemIndexes: indexes.length > 0 ? [...new Set(indexes)] : undefined,
      });
    }
    throw new PayoutGatewayError('config', where);
  }

  private async accessToken(): Promise<string> {
    if (this.token !== null) return this.token;
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString(
      'base64',
    );
    const response = await fetch(`${this.options.baseUrl}/api/v2/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }).catch((error: unknown) => {
      throw new PayoutGatewayError('transient', 'token request: network error', { cause: error });
    });
    const parsed = parseJson(await response.text());
    if (response.status === 429 || response.status >= 500)
      throw new PayoutGatewayError(
        response.status === 429 ? 'rate_limited' : 'transient',
        `token request → ${response.status}`,
      );
    if (!response.ok || typeof parsed.access_token !== 'string')
      throw new PayoutGatewayError(
        'config',
        `token request → ${response.status}: ${JSON.stringify(parsed)}`,
      );
    this.token = parsed.access_token;
    return this.token;
  }
}

function parseJson(text: string): WireObject {
  if (text.trim() === '') return {};
  try {
    return asObject(JSON.parse(text));
  } catch (error) {
    // A gateway's HTML error page: keep its text as the description.
    if (error instanceof SyntaxError) return { error_description: text.slice(0, 200) };
    throw error;
  }
}

function asObject(value: unknown): WireObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as WireObject)
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
