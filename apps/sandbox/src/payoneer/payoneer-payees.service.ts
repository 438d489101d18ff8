import { Inject, Injectable } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { PayoneerApiError } from './payoneer-api.error';
import {
  PAYEE_STATUS,
  type PayeeStatusName,
  type PayeeStatusType,
  type PayoneerPayee,
} from './payoneer.models';

/** What a scenario supplies to register a payee directly. */
export interface NewPayee {
  payeeId: string;
  status?: PayeeStatusName;
  payoutCurrency?: string;
  payoutMethod?: 'BANK' | 'PAYONEER_ACCOUNT';
  type?: 'INDIVIDUAL' | 'COMPANY';
  firstName?: string;
  lastName?: string;
  email?: string;
  country?: string;
}

/** The program's payee registry. */
@Injectable()
export class PayoneerPayeesService {
  private payees = new Map<string, PayoneerPayee>();

  constructor(
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(DomainEvents) private readonly events: DomainEvents,
  ) {}

  /** Forgets every payee. */
  reset(): void {
    this.payees.clear();
  }

  /** A payee by the partner's payee id. */
  get(payeeId: string): PayoneerPayee | undefined {
    return this.payees.get(payeeId);
  }

  /** A payee, or Payoneer's "Payee was not found" (10005). */
  require(payeeId: string): PayoneerPayee {
    const payee = this.payees.get(payeeId);
    if (!payee)
      throw new PayoneerApiError(404, 'Payee was not found', { code: 404, sub_code: 10005 });
    return payee;
  }

  /** Every payee. */
  list(): PayoneerPayee[] {
    return [...this.payees.values()];
  }

  /** Registers a payee directly (scenarios), ACTIVE unless told otherwise. */
  register(input: NewPayee): PayoneerPayee {
    const status = PAYEE_STATUS[input.status ?? 'ACTIVE'];
    const payee: PayoneerPayee = {
      payeeId: input.payeeId,
      status,
      payoutMethod: { type: input.payoutMethod ?? 'BANK', currency: input.payoutCurrency ?? 'USD' },
      type: input.type ?? 'COMPANY',
      contact: {
        first_name: input.firstName ?? 'Sandbox',
        last_name: input.lastName ?? 'Payee',
        email: input.email ?? `${input.payeeId.toLowerCase()}@payees.example`,
      },
      address: { country: input.country ?? 'US', city: 'Sandbox City' },
    };
    if (status !== PAYEE_STATUS.PENDING) this.approve(payee);
    this.payees.set(payee.payeeId, payee);
    return payee;
  }

  /** `POST /payees/registration-link`: creates a PENDING payee (or reuses it) and returns the link. */
  registrationLink(
    body: Record<string, unknown>,
    baseUrl: string,
  ): { registration_link: string; token: string } {
    const payeeId = body.payee_id;
    if (typeof payeeId !== 'string' || payeeId.trim() === '') {
      throw new PayoneerApiError(400, 'payee_id is required', {
        code: 400,
        sub_code: 1000,
        errors: [{ code: 1000, target: 'payee_id', message: 'payee_id is required' }],
      });
    }
    const payee = this.payees.get(payeeId) ?? this.register({ payeeId, status: 'PENDING' });
    payee.registrationToken ??= this.random.stream('payoneer-registration').alphanumeric(32);
    return {
      registration_link: `${baseUrl}/payoneer/registration?token=${payee.registrationToken}`,
      token: payee.registrationToken,
    };
  }

  /** Moves a payee to a status (a test hook standing in for the payee's own actions); emits the change. */
  setStatus(payeeId: string, statusName: PayeeStatusName): PayoneerPayee {
    const payee = this.require(payeeId);
    const previousStatus = payee.status;
    const status: PayeeStatusType = PAYEE_STATUS[statusName];
    if (previousStatus === status) return payee;
    payee.status = status;
    if (status === PAYEE_STATUS.ACTIVE) this.approve(payee);
    this.events.emit('payoneer.payee.status_changed', { payee, previousStatus });
    return payee;
  }

  /** `DELETE /payees/{id}`: releases the payee. */
  release(payeeId: string): void {
    this.require(payeeId);
    this.payees.delete(payeeId);
  }

  private approve(payee: PayoneerPayee): void {
    payee.accountId ??= String(this.random.stream('payoneer-accounts').int(3_000_000, 9_999_999));
    payee.registrationDate ??= this.clock.now().toISOString().slice(0, 10);
  }
}
