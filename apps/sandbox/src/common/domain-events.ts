import { EventEmitter } from 'node:events';
import { type ClarityPayment, type ClaritySalesOrder } from '../clarity/clarity.models';
import {
  type PayoneerPayee,
  type PayoneerPayout,
  type PayoneerTransaction,
} from '../payoneer/payoneer.models';

/** What happened inside the simulators, for the webhook publishers and the cross-system bridge. */
export interface SandboxDomainEvents {
  'clarity.order.created': { order: ClaritySalesOrder };
  'clarity.order.status_changed': { order: ClaritySalesOrder; previousStatusKey: string };
  'clarity.payment.processed': { payment: ClarityPayment; order: ClaritySalesOrder };
  'payoneer.payout.status_changed': { payout: PayoneerPayout; previousStatus: string | undefined };
  'payoneer.payment.received': { transaction: PayoneerTransaction };
  'payoneer.payee.status_changed': { payee: PayoneerPayee; previousStatus: number };
}

/** In-process, synchronous domain event bus shared by the simulators. */
export class DomainEvents {
  private readonly emitter = new EventEmitter();

  /** Publishes an event to every listener, synchronously. */
  emit<K extends keyof SandboxDomainEvents>(name: K, event: SandboxDomainEvents[K]): void {
    this.emitter.emit(name, event);
  }

  /** Subscribes a listener. */
  on<K extends keyof SandboxDomainEvents>(
    name: K,
    listener: (event: SandboxDomainEvents[K]) => void,
  ): void {
    this.emitter.on(name, listener);
  }
}
